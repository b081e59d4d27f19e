"""A subclass of nn.Sequential ends in a Sigmoid; a subclass of it adds the residual out of place."""
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
        out = out + x
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    block = ResidualConvNormAct(2)
    block(torch.randn(1, 2, 4, 4)).sum().backward()
    print("grad norm:", round(block[0].weight.grad.norm().item(), 4))
