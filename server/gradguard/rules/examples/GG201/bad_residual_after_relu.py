"""A residual block that adds the identity after the ReLU: `out += x` on a ReLU output.

ReLU saves its output (the gradient mask is `out > 0`). In the usual ResNet order the addition comes
before the ReLU, on the batch-norm output, which is fine.
"""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)

    def forward(self, x):
        out = torch.relu(self.bn(self.conv(x)))
        out += x  # expect GG201
        return out


torch.manual_seed(0)
block = Block()
x = torch.randn(1, 2, 4, 4, requires_grad=True)
y = block(x)
y.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("y sum:", round(y.sum().item(), 4))
print("x.grad sum:", round(x.grad.sum().item(), 4))
