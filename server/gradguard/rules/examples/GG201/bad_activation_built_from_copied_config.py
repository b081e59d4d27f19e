"""An activation built from a copied config dict (`act_cfg.copy()`), then `out += x` on its output.

The block protects its mutable default by copying it before popping the layer type: the copy still says ReLU, and
the ReLU keeps its output for backward, which the residual sum then changes in place.
"""
import torch
import torch.nn as nn


class ResidualBlock(nn.Module):
    def __init__(self, channels, act_cfg=dict(type="ReLU")):
        super().__init__()
        cfg = act_cfg.copy()
        layer_type = cfg.pop("type")
        cfg.setdefault("inplace", False)
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.act = getattr(nn, layer_type)(**cfg)

    def forward(self, x):
        out = self.act(self.conv(x))
        out += x  # expect GG201
        return out


torch.manual_seed(0)
block = ResidualBlock(4)
x = torch.randn(2, 4, 5, 5, requires_grad=True)
block(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
