"""`layers.insert(1, nn.BatchNorm2d(c))` puts a norm before the ReLU; `x = x + skip` leaves it alone.

The residual sum makes a new tensor: the output the ReLU kept is left as it was, and backward() runs.
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
        x = x + skip
        return x


torch.manual_seed(0)
block = DecoderBlock(4)
x = torch.randn(2, 4, 3, 3, requires_grad=True)
block(x, torch.randn(2, 4, 3, 3)).sum().backward()
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
