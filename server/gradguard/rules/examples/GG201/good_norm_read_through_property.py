"""A norm read through a `@property` (`getattr(self, self.norm1_name)`), ReLU, then `out = out + x`.

The residual sum makes a new tensor: the output the ReLU kept is left as it was, and backward() runs.
"""
import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.norm1_name = "bn1"
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.add_module(self.norm1_name, nn.BatchNorm2d(channels))
        self.relu = nn.ReLU()

    @property
    def norm1(self):
        return getattr(self, self.norm1_name)

    def forward(self, x):
        out = self.relu(self.norm1(self.conv1(x)))
        out = out + x
        return out


torch.manual_seed(0)
block = BasicBlock(4)
x = torch.randn(2, 4, 5, 5, requires_grad=True)
block(x).sum().backward()
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
