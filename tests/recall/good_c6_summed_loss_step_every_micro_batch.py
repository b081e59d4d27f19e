"""Category 6: Gradient accumulation by summing losses: the step runs only after the summed loss's backward().

Every `accum` micro-batches `running` backpropagates, is reset, and the optimizer steps; no graph that is still
to be backpropagated saw weights the step changed.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def train(model, batches, optimizer, accum):
    running = 0.0
    for step, (x, y) in enumerate(batches):
        loss = F.cross_entropy(model(x), y) / accum
        running = running + loss
        if (step + 1) % accum == 0:
            optimizer.zero_grad()
            running.backward()
            running = 0.0
            optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 3))
    batches = [(torch.randn(4, 5), torch.randint(0, 3, (4,))) for _ in range(4)]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    train(model, batches, optimizer, accum=2)
    print("last weight:", [round(v, 4) for v in model[2].weight[0].tolist()])
