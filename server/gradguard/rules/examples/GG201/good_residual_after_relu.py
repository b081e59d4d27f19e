"""A residual block that adds the identity after the ReLU out of place: `out = out + x`."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)

    def forward(self, x):
        out = torch.relu(self.bn(self.conv(x)))
        out = out + x
        return out


torch.manual_seed(0)
block = Block()
x = torch.randn(1, 2, 4, 4, requires_grad=True)
y = block(x)
y.sum().backward()
print("y sum:", round(y.sum().item(), 4))
print("x.grad sum:", round(x.grad.sum().item(), 4))
