"""Category 2: the activation is chosen by comparing a constructor's default string; the fix."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Highway(nn.Module):
    def __init__(self, dim, activation="tanh"):
        super().__init__()
        self.h = nn.Linear(dim, dim)
        self.t = nn.Linear(dim, dim)
        self.activation = activation

    def _act(self, x):
        if self.activation == "tanh":
            return torch.tanh(x)
        elif self.activation == "relu":
            return F.relu(x)
        return x

    def forward(self, x):
        h = self._act(self.h(x))
        t = torch.sigmoid(self.t(x))
        h = h * t
        return h + (1 - t) * x


if __name__ == "__main__":
    m = Highway(8)
    m(torch.randn(2, 8)).sum().backward()
