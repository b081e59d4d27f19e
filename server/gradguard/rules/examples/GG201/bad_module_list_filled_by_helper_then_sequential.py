"""A helper fills a ModuleList run as `nn.Sequential(*layers)`; `x += skip` changes the ReLU's output.

`add_if_not_none(layers, layer)` appends each layer that exists to the caller's ModuleList. The Sequential made of
it ends with the ReLU, which keeps its output for backward; the residual sum then changes that output in place.
"""
import torch
import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, channels, activation="ReLU", norm=False):
        super().__init__()
        layers = nn.ModuleList()
        norm_layer = nn.BatchNorm1d(channels) if norm else None
        act = getattr(nn, activation)() if activation is not None else None
        self.add_if_not_none(layers, nn.Linear(channels, channels))
        self.add_if_not_none(layers, norm_layer)
        self.add_if_not_none(layers, act)
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return self.block(x)

    @staticmethod
    def add_if_not_none(module_list, module):
        if module is not None:
            module_list.append(module)


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = ConvBlock(channels)
        self.skip = nn.Linear(channels, channels)

    def forward(self, x):
        skip = self.skip(x)
        x = self.conv(x)
        x += skip  # expect GG201
        return x


torch.manual_seed(0)
block = ResidualBlock(4)
out = block(torch.randn(3, 4))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("skip.weight.grad:", [round(v, 4) for v in block.skip.weight.grad[0].tolist()])
