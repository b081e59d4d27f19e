"""Category 2: a get_activation(name) function picks the gate by the constructor's default name."""
import torch
import torch.nn as nn


def get_activation(name):
    if name == "relu":
        return nn.ReLU()
    elif name == "sigmoid":
        return nn.Sigmoid()
    elif name == "silu":
        return nn.SiLU()
    raise ValueError(name)


class Gate(nn.Module):
    def __init__(self, dim, activation="sigmoid"):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.activation = get_activation(activation)

    def forward(self, x):
        g = self.activation(self.proj(x))
        g.mul_(2.0)  # BUG
        return x * g


if __name__ == "__main__":
    m = Gate(8)
    m(torch.randn(2, 8)).sum().backward()
