"""Category 2: the activation comes from a get_activation() registry by name; the MLP scales it in place."""
import torch
from torch import nn

_ACTIVATIONS = {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh, "silu": nn.SiLU}


def get_activation(name):
    return _ACTIVATIONS[name]()


class FeedForward(nn.Module):
    def __init__(self, dim, hidden, activation="tanh"):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = get_activation(activation)
        self.fc2 = nn.Linear(hidden, dim)
        self.layer_scale = nn.Parameter(torch.full((hidden,), 0.1))

    def forward(self, x):
        h = self.act(self.fc1(x))
        h *= self.layer_scale  # BUG
        return self.fc2(h)


if __name__ == "__main__":
    ff = FeedForward(8, 32)
    ff(torch.randn(3, 8)).sum().backward()
