"""`if act_cfg: layers.append(nn.ReLU())` on the default `act_cfg=dict(type="ReLU")`, then `out + x`.

The residual sum makes a new tensor: the output the ReLU kept is left as it was, and backward() runs.
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
        out = out + x
        return out


torch.manual_seed(0)
block = GraphBlock(4)
x = torch.randn(2, 4, 3, 3, requires_grad=True)
block(x).sum().backward()
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
