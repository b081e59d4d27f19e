"""Category 5: __init__ calls a helper that zeroes columns of a Linear weight through a slice, grad mode on."""
import torch
from torch import nn


class SparseInputNet(nn.Module):
    def __init__(self, n_features, hidden, n_virtual=4):
        super().__init__()
        self.input = nn.Linear(n_features + n_virtual, hidden)
        self.out = nn.Linear(hidden, 1)
        self.n_features = n_features
        self._zero_virtual_weights()

    def _zero_virtual_weights(self):
        w = self.input.weight
        with torch.no_grad():
            w[:, self.n_features:] = 0.0

    def forward(self, x):
        return self.out(torch.relu(self.input(x)))


if __name__ == "__main__":
    net = SparseInputNet(6, 8)
    net(torch.randn(2, 10)).sum().backward()
