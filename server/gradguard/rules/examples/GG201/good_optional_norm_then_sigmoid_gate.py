"""A gate scaled out of place after `sigmoid`, behind a norm layer that may be None: output kept.

`gate = gate * 2` makes a new tensor; `sigmoid`'s output stays as it saved it, with or without the norm layer.
"""
import torch
import torch.nn as nn


class Gate(nn.Module):
    def __init__(self, dim, norm="layernorm"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        if norm == "layernorm":
            self.norm = nn.LayerNorm(dim)
        else:
            self.norm = None

    def forward(self, x):
        h = self.fc(x)
        h = self.norm(h) if self.norm is not None else h
        gate = torch.sigmoid(h)
        gate = gate * 2
        return x * gate


torch.manual_seed(0)
for norm in ("layernorm", "none"):
    layer = Gate(4, norm=norm)
    x = torch.randn(2, 4)
    layer(x).sum().backward()
    print("fc.bias.grad:", [round(v, 4) for v in layer.fc.bias.grad.tolist()])
