"""The same residual unit with a ReLU that leaves its input alone: the shortcut adds the unit's input.

`nn.ReLU()` returns a new tensor, so `x` still holds the input when `out + x` reads it. (The second ReLU runs on
`out`, which is rebound, so working in place there would be harmless; one module serves both calls here.)
"""
import torch
from torch import nn


class ResidualConvUnit(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 3, padding=1)
        self.conv2 = nn.Conv2d(features, features, 3, padding=1, bias=False)
        self.relu = nn.ReLU()

    def forward(self, x):
        out = self.relu(x)
        out = self.conv1(out)
        out = self.relu(out)
        out = self.conv2(out)
        return out + x


torch.manual_seed(0)
unit = ResidualConvUnit(2)
features = torch.randn(1, 2, 4, 4)
output = unit(features.clone())
print("output:", round(output.sum().item(), 4))
meant = unit.conv2(torch.relu(unit.conv1(torch.relu(features)))) + features
assert torch.allclose(output, meant)
