"""A helper fills a ModuleList run as `nn.Sequential(*layers)`; `x = x + skip` after its last ReLU.

The residual sum makes a new tensor: the ReLU's saved output is left as it was, and backward() runs.
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
        x = x + skip
        return x


torch.manual_seed(0)
block = ResidualBlock(4)
out = block(torch.randn(3, 4))
out.sum().backward()
print("skip.weight.grad:", [round(v, 4) for v in block.skip.weight.grad[0].tolist()])
