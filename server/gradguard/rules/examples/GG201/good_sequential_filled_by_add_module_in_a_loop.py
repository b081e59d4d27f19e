"""An nn.Sequential filled by add_module in a loop: its first block's ReLU is not in place.

`self.body.add_module(f"block{i + 1}", dws_block(...))` builds the body one block at a time (Xception in model zoos).
The first block starts with `nn.ReLU()`: a new tensor, so the unit input that `identity_conv` kept for the gradient
of its weight stays as it was.
"""
import torch
import torch.nn as nn


class DwsBlock(nn.Module):
    def __init__(self, channels, activate):
        super().__init__()
        self.activate = activate
        if self.activate:
            self.activ = nn.ReLU()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, groups=channels)
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        if self.activate:
            x = self.activ(x)
        return self.bn(self.conv(x))


def dws_block(channels, activate):
    return DwsBlock(channels, activate)


class Unit(nn.Module):
    def __init__(self, channels, stride, reps, start_with_relu=True):
        super().__init__()
        self.identity_conv = nn.Conv2d(channels, channels, 1, stride=stride)
        self.body = nn.Sequential()
        for i in range(reps):
            activate = start_with_relu if i == 0 else True
            self.body.add_module(f"block{i + 1}", dws_block(channels, activate))
        if stride != 1:
            self.body.add_module("pool", nn.MaxPool2d(3, stride=stride, padding=1))

    def forward(self, x):
        identity = self.identity_conv(x)
        x = self.body(x)
        return x + identity


if __name__ == "__main__":
    torch.manual_seed(0)
    stem = nn.Conv2d(3, 4, 1)
    unit = Unit(4, stride=2, reps=2)
    out = unit(stem(torch.randn(1, 3, 8, 8)))
    out.sum().backward()
    print("grad norm:", round(stem.weight.grad.norm().item(), 4))
