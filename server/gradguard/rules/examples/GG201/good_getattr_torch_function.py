"""`self.act_fn = getattr(torch, act)` holds `torch.sigmoid`; the write goes into a clone of it.

`torch.sigmoid` keeps its output for backward; `.clone()` gives the index assignment a tensor of its own.
"""
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, dim, act="sigmoid"):
        super().__init__()
        self.fc = nn.Linear(dim, 4)
        self.act_fn = getattr(torch, act)

    def forward(self, x):
        out = self.act_fn(self.fc(x)).clone()
        out[:, 0] = 1.0
        return out


torch.manual_seed(0)
head = Head(3)
head(torch.randn(2, 3)).sum().backward()
print("fc.bias.grad:", [round(v, 4) for v in head.fc.bias.grad.tolist()])
