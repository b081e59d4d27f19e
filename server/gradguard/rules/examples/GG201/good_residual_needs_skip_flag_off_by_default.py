"""`has_residual = skip and stride == 1 and c_in == c_out` with `skip=False`: no in-place residual add.

The block adds its input into the ReLU output in place only when it has a residual, which needs `skip=True`.
Built with its defaults it has none, so the ReLU's saved output is never changed.
"""
import torch
import torch.nn as nn


def drop_path(x, drop_prob, training):
    if drop_prob == 0.0 or not training:
        return x
    keep = 1 - drop_prob
    mask = x.new_empty(x.shape[0], 1, 1, 1).bernoulli_(keep)
    return x * mask / keep


class ConvBnAct(nn.Module):
    def __init__(self, in_chs, out_chs, stride=1, skip=False, drop_path_rate=0.0):
        super().__init__()
        self.has_residual = skip and stride == 1 and in_chs == out_chs
        self.drop_path_rate = drop_path_rate
        self.conv = nn.Conv2d(in_chs, out_chs, 3, stride, 1)
        self.bn1 = nn.BatchNorm2d(out_chs)
        self.act1 = nn.ReLU()

    def forward(self, x):
        shortcut = x
        x = self.act1(self.bn1(self.conv(x)))
        if self.has_residual:
            if self.drop_path_rate > 0.0:
                x = drop_path(x, self.drop_path_rate, self.training)
            x += shortcut
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 4, 5, 5, requires_grad=True)
    ConvBnAct(4, 4)(x).sum().backward()
    print("x.grad:", round(x.grad.sum().item(), 4))
