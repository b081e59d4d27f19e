"""The same keys, shifted into a new tensor instead of being written in place.

`torch.cat((k[:, :1], k[:, 1:] * 2), dim=1)` makes a new tensor and leaves the chunk piece as it was.
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
        k = torch.cat((k[:, :1], k[:, 1:] * 2), dim=1)
        return k + v


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = KeyValues(4)
    out = layer(torch.randn(2, 3, 4))
    out.sum().backward()
    print("to_kv.bias.grad:", [round(v, 4) for v in layer.to_kv.bias.grad.tolist()])
