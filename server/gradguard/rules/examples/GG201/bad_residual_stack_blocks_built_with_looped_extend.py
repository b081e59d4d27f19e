"""Blocks whose layers a loop extends, stacked: `backcast -= part` changes what a BatchNorm saved.

Each block begins with a BatchNorm, which keeps its input for backward, and adds hidden layers in a loop
(`layers.extend([...])`); the blocks sit in an nn.ModuleList built in another loop. The residual update
`backcast -= part` then changes the tensor the block just saved.
"""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, size, hidden, depth):
        super().__init__()
        layers = [nn.BatchNorm1d(size), nn.Linear(size, hidden), nn.ReLU()]
        for _ in range(depth):
            layers.extend([nn.Linear(hidden, hidden), nn.ReLU()])
        self.body = nn.Sequential(*layers)
        self.back = nn.Linear(hidden, size)
        self.fore = nn.Linear(hidden, 2)

    def forward(self, x):
        h = self.body(x)
        return self.back(h), self.fore(h)


class Stack(nn.Module):
    def __init__(self, size, kinds):
        super().__init__()
        self.blocks = nn.ModuleList()
        for _ in kinds:
            self.blocks.append(Block(size, 8, depth=2))

    def forward(self, target):
        backcast = target * 1.0
        forecast = 0
        for block in self.blocks:
            part, out = block(backcast)
            backcast -= part  # expect GG201
            forecast = forecast + out
        return forecast, backcast


torch.manual_seed(0)
net = Stack(6, ["trend", "seasonality"])
forecast, backcast = net(torch.randn(5, 6))
(forecast.sum() + backcast.sum()).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("forecast:", [round(v, 4) for v in forecast[0].tolist()])
