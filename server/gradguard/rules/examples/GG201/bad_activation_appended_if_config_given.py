"""`if act_cfg: layers.append(nn.ReLU())` on the default `act_cfg=dict(type="ReLU")`, then `out += x`.

A non-empty config dict is true, so the ModuleList ends with the ReLU; it keeps its output for backward, and the
residual sum changes that output in place.
"""
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, channels, act_cfg=dict(type="ReLU")):
        super().__init__()
        self.layers = nn.ModuleList([nn.Conv2d(channels, channels, 1), nn.BatchNorm2d(channels)])
        if act_cfg:
            self.layers.append(nn.ReLU())

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class GraphBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.mlp = MLP(channels)

    def forward(self, x):
        out = self.mlp(x)
        out += x  # expect GG201
        return out


torch.manual_seed(0)
block = GraphBlock(4)
x = torch.randn(2, 4, 3, 3, requires_grad=True)
block(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
