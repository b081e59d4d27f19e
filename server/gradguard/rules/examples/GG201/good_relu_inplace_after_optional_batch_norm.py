"""`if self.batch_norm: h = self.bn(h)` then `h.relu_()`: BatchNorm keeps its input, not this `h`."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, batch_norm=True):
        super().__init__()
        self.batch_norm = batch_norm
        self.lin = nn.Linear(dim, dim)
        self.bn = nn.BatchNorm1d(dim)

    def forward(self, x):
        h = self.lin(x)
        if self.batch_norm:
            h = self.bn(h)
        h = h.relu_()
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    block = Block(4)
    block(torch.randn(8, 4)).sum().backward()
    print("grad:", block.lin.weight.grad is not None)
