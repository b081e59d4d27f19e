"""Category 1: a pre-activation block whose last layer is a Tanh; the shortcut is added out of place."""
import torch
from torch import nn


class TanhResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.act = nn.Tanh()

    def forward(self, x):
        shortcut = x
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.act(self.conv2(x))
        x = x + shortcut
        return x


if __name__ == "__main__":
    block = TanhResidualBlock(4)
    block(torch.randn(2, 4, 8, 8)).sum().backward()
