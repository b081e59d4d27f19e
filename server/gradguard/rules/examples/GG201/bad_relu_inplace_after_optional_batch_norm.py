"""`h` kept by a scaling before `if self.batch_norm: h = self.bn(h)`, then `h.relu_()` unnormed."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, batch_norm=False):
        super().__init__()
        self.batch_norm = batch_norm
        self.lin = nn.Linear(dim, dim)
        self.bn = nn.BatchNorm1d(dim)
        self.scale = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        h = self.lin(x)
        skip = h * self.scale
        if self.batch_norm:
            h = self.bn(h)
        h = h.relu_()  # expect GG201
        return h + skip


if __name__ == "__main__":
    torch.manual_seed(0)
    block = Block(4)
    block(torch.randn(8, 4)).sum().backward()  # torch raises: one of the variables needed for gradient computation
    print("grad:", block.lin.weight.grad is not None)
