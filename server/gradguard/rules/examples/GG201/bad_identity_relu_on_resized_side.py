"""A shortcut from a conv block ending in ReLU(inplace=True), or the input, then rectified in place.

The shortcut's conv block keeps its ReLU output for backward, so on units that resize the shortcut the in-place
ReLU breaks backward, whatever the other units do (SqueezeNext, osmr/imgclsmob#5).
"""
import torch
import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 1, stride)
        self.activ = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.activ(self.conv(x))


class Unit(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.resize_identity = stride == 2 or in_channels != out_channels
        self.body = ConvBlock(in_channels, out_channels, stride)
        if self.resize_identity:
            self.identity_conv = ConvBlock(in_channels, out_channels, stride)
        self.activ = nn.ReLU(inplace=True)

    def forward(self, x):
        if self.resize_identity:
            identity = self.identity_conv(x)
        else:
            identity = x
        identity = self.activ(identity)  # expect GG201
        x = self.body(x)
        return self.activ(x + identity)


class Net(nn.Module):
    def __init__(self, channels, in_channels=3):
        super().__init__()
        self.features = nn.Sequential()
        for i, stage_channels in enumerate(channels):
            for j, out_channels in enumerate(stage_channels):
                stride = 2 if j == 0 and i != 0 else 1
                self.features.add_module(f"unit{i}_{j}", Unit(in_channels, out_channels, stride))
                in_channels = out_channels

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3))


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Net([[width] * depth for width, depth in zip((4, 8), (2, 2))])
    net(torch.randn(2, 3, 8, 8)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad sum:", round(net.features.unit0_0.body.conv.weight.grad.sum().item(), 4))
