"""A block whose optional norm saves its input and keeps it, then the default in-place ReLU changes it.

`if self.norm: scale = out.std()` saves `out` without replacing it, and `ReLU(inplace=True)`, chosen by
default among other activations, changes that tensor: backward() raises when the block has its norm.
"""
import torch
import torch.nn as nn


class LinearBlock(nn.Module):
    def __init__(self, dim, norm=True, activation="relu"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.norm = norm
        if activation == "relu":
            self.activation = nn.ReLU(inplace=True)
        elif activation == "tanh":
            self.activation = nn.Tanh()
        else:
            self.activation = None

    def forward(self, x):
        out = self.fc(x)
        scale = torch.ones(())
        if self.norm:
            scale = out.std()
        if self.activation:
            out = self.activation(out)  # expect GG201
        return out * scale


if __name__ == "__main__":
    torch.manual_seed(0)
    out = LinearBlock(4)(torch.randn(3, 4))
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
