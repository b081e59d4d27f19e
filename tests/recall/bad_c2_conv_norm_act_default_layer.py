"""Category 2: a timm-style ConvNormAct whose act_layer default saves its output; the parent adds in place."""
import torch
from torch import nn


class ConvNormAct(nn.Module):
    def __init__(self, in_chs, out_chs, kernel_size=3, act_layer=nn.Sigmoid):
        super().__init__()
        self.conv = nn.Conv2d(in_chs, out_chs, kernel_size, padding=kernel_size // 2, bias=False)
        self.bn = nn.BatchNorm2d(out_chs)
        self.act = act_layer()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class ResidualStage(nn.Module):
    def __init__(self, chs):
        super().__init__()
        self.conv_a = ConvNormAct(chs, chs)
        self.conv_b = ConvNormAct(chs, chs, kernel_size=1)

    def forward(self, x):
        out = self.conv_b(self.conv_a(x))
        out += x  # BUG
        return out


if __name__ == "__main__":
    stage = ResidualStage(3)
    stage(torch.randn(2, 3, 6, 6)).mean().backward()
