"""A block built with its default `mode` writes `x[:, 0]` after LayerNorm saved a view of that token.

`Net` builds its blocks without passing `mode`, so the default `"self"` applies. The block normalises the
messenger token `x[:, 0]` (LayerNorm keeps its input, a view of `x`, for backward), then writes the result back
into `x[:, 0]`: the saved view is changed in place.
"""
import torch
import torch.nn as nn


class RegionBlock(nn.Module):
    def __init__(self, dim, mode="self"):
        super().__init__()
        self.mode = mode
        self.local = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.mix = nn.Linear(dim, dim)

    def forward(self, x):
        if self.mode == "self":
            x = x + self.local(x)
        msg = x[:, 0]
        msg = msg + self.mix(self.norm(msg))
        x[:, 0] = msg  # expect GG201
        return x


class Net(nn.Module):
    def __init__(self, dim, depth=2):
        super().__init__()
        self.blocks = nn.ModuleList([RegionBlock(dim) for _ in range(depth)])

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
        return x


torch.manual_seed(0)
net = Net(8)
out = net(torch.randn(3, 4, 8))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out[0, 0, :4].tolist()])
print("local.weight.grad:", [round(v, 4) for v in net.blocks[0].local.weight.grad[0, :4].tolist()])
