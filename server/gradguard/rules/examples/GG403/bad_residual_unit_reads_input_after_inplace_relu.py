"""A residual unit whose first ReLU works in place, then adds its input back: it adds the ReLU output.

RefineNet's residual conv unit: `out = self.relu(x)` with `nn.ReLU(inplace=True)`, two convolutions, then
`return out + x`. The ReLU returns `x` itself, changed, so the shortcut adds relu(x) instead of x and the unit
computes another function. Torch raises nothing: nothing saved `x` before the change.
"""
import torch
from torch import nn


class ResidualConvUnit(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 3, padding=1)
        self.conv2 = nn.Conv2d(features, features, 3, padding=1, bias=False)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        out = self.relu(x)  # expect GG403
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
assert not torch.allclose(output, meant)  # silently wrong
