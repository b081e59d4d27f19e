"""A ResNet basic block: `out += identity` after conv/bn, then an in-place ReLU.

Batch norm saves its input, not its output, so adding the identity in place to the batch-norm output
is fine, and so is the in-place ReLU on the sum (nothing saved the sum).
"""
import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        out += identity
        out = self.relu(out)
        return out


torch.manual_seed(0)
block = BasicBlock(2)
x = torch.randn(2, 2, 4, 4, requires_grad=True)
y = block(x)
y.mean().backward()
print("y mean:", round(y.mean().item(), 4))
print("x.grad sum:", round(x.grad.sum().item(), 4))
