"""A training function fills the memory bank its caller passed in, after each step.

`train(loader, model, optimizer, memory)` computes a cross-entropy, calls backward() and steps the optimizer
itself: a training step, not a loss its caller differentiates. `memory[start:end] = emb.detach()` writes a
buffer made with `torch.zeros`, which no op saved and which does not require grad.
"""
import torch
import torch.nn as nn

cross_entropy = nn.CrossEntropyLoss()


def train(loader, model, optimizer, memory_index, memory):
    start = 0
    for idx, inputs, targets in loader:
        emb = model(inputs)
        loss = cross_entropy(emb, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        memory_index[start:start + len(idx)] = idx
        memory[start:start + len(idx)] = emb.detach()
        start += len(idx)
    return memory_index, memory


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = [(torch.arange(2) + 2 * i, torch.randn(2, 4), torch.tensor([0, 2])) for i in range(3)]
    index, memory = train(loader, model, optimizer, torch.zeros(6).long(), torch.zeros(6, 3))
    print("memory:", [round(v, 4) for v in memory[0].tolist()], index.tolist())
