"""`for layer in self.layers: x = layer(x)` over a ModuleList ending in a ReLU, then `out += x`.

The loop runs the ModuleList's blocks in order, as an nn.Sequential would: its last block, the ReLU, keeps its
output for backward, and the residual sum then changes that output in place.
"""
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.layers = nn.ModuleList()
        self.layers.append(nn.Conv2d(channels, channels, 1))
        self.layers.append(nn.BatchNorm2d(channels))
        self.layers.append(nn.ReLU())

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class GraphBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.mlp = MLP(channels)
        self.act = nn.ReLU()

    def forward(self, x):
        out = self.mlp(x)
        out += x  # expect GG201
        return self.act(out)


torch.manual_seed(0)
block = GraphBlock(4)
x = torch.randn(2, 4, 3, 3, requires_grad=True)
block(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
