"""`layers.insert(1, nn.BatchNorm2d(c))` puts a norm before the ReLU; `x += skip` changes its output.

The list `[conv, relu]` becomes `[conv, norm, relu]`: the Sequential made of it still ends with the ReLU, which
keeps its output for backward, and the skip connection is added into that output in place.
"""
import torch
import torch.nn as nn


class ConvReLU(nn.Module):
    def __init__(self, channels, use_batchnorm=True):
        super().__init__()
        layers = [nn.Conv2d(channels, channels, 1), nn.ReLU()]
        if use_batchnorm:
            layers.insert(1, nn.BatchNorm2d(channels))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return self.block(x)


class DecoderBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.block = ConvReLU(channels)

    def forward(self, x, skip):
        x = self.block(x)
        x += skip  # expect GG201
        return x


torch.manual_seed(0)
block = DecoderBlock(4)
x = torch.randn(2, 4, 3, 3, requires_grad=True)
block(x, torch.randn(2, 4, 3, 3)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
