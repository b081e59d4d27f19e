"""An L2 term of an untyped `model` argument's parameters built once, before the training loop.

The function adds it to every batch's loss: `optimizer.step()` changes the parameters that `pow` saved, and the next batch's
backward() goes through that term again. The loop itself (`model.parameters()` to an optimizer, `model(x)`,
backward(), step()) shows that `model` is a model."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def train(model, batches, epochs=1):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    reg = sum(p.pow(2).sum() for p in model.parameters())
    for _ in range(epochs):
        for x, y in batches:
            loss = F.mse_loss(model(x), y) + 1e-3 * reg
            optimizer.zero_grad()
            loss.backward(retain_graph=True)  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
            optimizer.step()  # expect GG201


if __name__ == "__main__":
    torch.manual_seed(0)
    net = nn.Linear(4, 1)
    train(net, [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)])  # expect GG201
    print("weight[0]:", [round(v, 4) for v in net.weight[0].tolist()])
