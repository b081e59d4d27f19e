"""A chunk piece picked by an inline `if` on a default flag; a key slice is written in place.

`self.to_kv(x).chunk(2, dim=-1) if not self.context_only else (context, context)`: with `context_only=False`
(the default) `k` is one of the two views `chunk` returns, and torch forbids changing such a view in place.
"""
import torch
import torch.nn as nn


class KeyValues(nn.Module):
    def __init__(self, dim, context_only=False):
        super().__init__()
        self.to_kv = nn.Linear(dim, dim * 2)
        self.context_only = context_only

    def forward(self, x, context=None):
        kv = self.to_kv(x).chunk(2, dim=-1) if not self.context_only else (context, context)
        k, v = kv
        k[:, 1:] = k[:, 1:] * 2  # expect GG301; torch raises: is a view and is being modified inplace
        return k + v


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = KeyValues(4)
    out = layer(torch.randn(2, 3, 4))
    out.sum().backward()
    print("to_kv.bias.grad:", [round(v, 4) for v in layer.to_kv.bias.grad.tolist()])
