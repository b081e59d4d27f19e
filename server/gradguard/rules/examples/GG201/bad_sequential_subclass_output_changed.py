"""A subclass of nn.Sequential that ends in a Sigmoid; a subclass of it adds the residual in place.

`super().__init__(conv, norm, nn.Sigmoid())` gives nn.Sequential the layers, and `super().forward(x)` runs them:
the result is the Sigmoid's output, which SigmoidBackward0 keeps to compute its gradient. `out += x` changes it.
"""
import torch
import torch.nn as nn


class ConvNormAct(nn.Sequential):
    def __init__(self, channels):
        super().__init__(
            nn.Conv2d(channels, channels, 3, padding=1),
            nn.BatchNorm2d(channels),
            nn.Sigmoid(),
        )


class ResidualConvNormAct(ConvNormAct):
    def forward(self, x):
        out = super().forward(x)
        out += x  # expect GG201
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    block = ResidualConvNormAct(2)
    block(torch.randn(1, 2, 4, 4)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(block[0].weight.grad.norm().item(), 4))
