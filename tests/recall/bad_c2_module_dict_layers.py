"""Category 2: a block keeps its layers in an nn.ModuleDict by name; the activation saves its output and the
block adds its input to it in place."""
import torch
from torch import nn


class NamedBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.layers = nn.ModuleDict({"fc": nn.Linear(dim, dim), "norm": nn.LayerNorm(dim), "act": nn.Tanh()})

    def forward(self, x):
        y = self.layers["act"](self.layers["norm"](self.layers["fc"](x)))
        y += x  # BUG
        return y


class Stack(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.first = NamedBlock(dim)
        self.__setattr__("second", NamedBlock(dim))

    def forward(self, x):
        return self.__getattr__("second")(self.first(x))


if __name__ == "__main__":
    s = Stack(4)
    s(torch.randn(3, 4)).sum().backward()
