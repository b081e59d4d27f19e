"""A gate scaled in place after `sigmoid`, behind a norm layer that may be None (`norm="none"`).

`self.norm` is a LayerNorm or None, as the constructor's `norm` says, and
`h = self.norm(h) if self.norm is not None else h`: either way `h` comes from the linear layer's parameters and
requires grad, so `sigmoid` keeps its output for backward and `gate *= 2` changes it.
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
        gate *= 2  # expect GG201
        return x * gate


torch.manual_seed(0)
for norm in ("layernorm", "none"):
    layer = Gate(4, norm=norm)
    x = torch.randn(2, 4)
    layer(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("fc.bias.grad:", [round(v, 4) for v in layer.fc.bias.grad.tolist()])
