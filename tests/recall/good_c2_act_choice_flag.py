"""Category 2: the gate activation is chosen by a constructor flag; either choice saves its output."""
import torch
from torch import nn


class GatedUnit(nn.Module):
    def __init__(self, dim, use_tanh=False):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = nn.Tanh() if use_tanh else nn.Sigmoid()

    def forward(self, x):
        g = self.act(self.fc(x))
        g = g * x
        return g


if __name__ == "__main__":
    unit = GatedUnit(4)
    unit(torch.randn(3, 4)).sum().backward()
