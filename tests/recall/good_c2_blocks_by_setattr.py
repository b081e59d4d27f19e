"""Category 2: blocks registered with setattr(f"block{i}") and fetched with getattr in forward; each block ends in
a Sigmoid and the trunk adds the skip connection in place."""
import torch
from torch import nn


class GatedBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc = nn.Linear(dim, dim)
        self.gate = nn.Sigmoid()

    def forward(self, x):
        return self.gate(self.fc(self.norm(x)))


class ChainedNet(nn.Module):
    def __init__(self, dim, depth=2):
        super().__init__()
        self.depth = depth
        for i in range(depth):
            setattr(self, f"block{i}", GatedBlock(dim))

    def forward(self, x):
        for i in range(self.depth):
            y = getattr(self, f"block{i}")(x)
            y = y + x
            x = y
        return x


if __name__ == "__main__":
    net = ChainedNet(4)
    net(torch.randn(3, 4)).sum().backward()
