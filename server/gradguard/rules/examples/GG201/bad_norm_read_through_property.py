"""A norm read through a `@property` (`getattr(self, self.norm1_name)`), ReLU, then `out += x`.

OpenMMLab's ResNet blocks register their norms under a built name and read them back through a property. The
property gives the BatchNorm; the ReLU after it keeps its output, which the residual sum changes in place.
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
        out += x  # expect GG201
        return out


torch.manual_seed(0)
block = BasicBlock(4)
x = torch.randn(2, 4, 5, 5, requires_grad=True)
block(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
