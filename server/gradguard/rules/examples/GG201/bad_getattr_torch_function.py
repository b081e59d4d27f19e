"""`self.act_fn = getattr(torch, act)` holds `torch.sigmoid`; `out[:, 0] = 1.0` writes into its output.

`torch.sigmoid` keeps its output for backward; the index assignment changes it in place.
"""
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, dim, act="sigmoid"):
        super().__init__()
        self.fc = nn.Linear(dim, 4)
        self.act_fn = getattr(torch, act)

    def forward(self, x):
        out = self.act_fn(self.fc(x))
        out[:, 0] = 1.0  # expect GG201
        return out


torch.manual_seed(0)
head = Head(3)
head(torch.randn(2, 3)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("fc.bias.grad:", [round(v, 4) for v in head.fc.bias.grad.tolist()])
