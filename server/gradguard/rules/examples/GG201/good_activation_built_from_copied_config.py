"""An activation built from a copied config dict (`act_cfg.copy()`), then `out = out + x`.

The residual sum makes a new tensor: the output the ReLU kept is left as it was, and backward() runs.
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
        out = out + x
        return out


torch.manual_seed(0)
block = ResidualBlock(4)
x = torch.randn(2, 4, 5, 5, requires_grad=True)
block(x).sum().backward()
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
