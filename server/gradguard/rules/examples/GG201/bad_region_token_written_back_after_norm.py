"""`x[:, 0] = ...` writes back a token a LayerNorm saved, in a block with a configurable first step.

The block's first step depends on a constructor setting that the model passes through (`first_attn=True`); on
either side, the region token `x[:, 0]` is a view of `x` that the LayerNorm keeps for backward, and writing the
updated token back into `x` bumps the version counter they share. MAE-DFER's local-global block did this.
"""
import torch
import torch.nn as nn


class LocalGlobalBlock(nn.Module):
    def __init__(self, dim, first_attn=True):
        super().__init__()
        self.first_attn = first_attn
        self.local = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.mix = nn.Linear(dim, dim)

    def forward(self, x):
        if self.first_attn:
            x = x + self.local(x)
        token = x[:, 0]
        token = token + self.mix(self.norm(token))
        x[:, 0] = token  # expect GG201
        return x


class RegionModel(nn.Module):
    def __init__(self, dim=8, depth=2, first_attn=True):
        super().__init__()
        self.blocks = nn.ModuleList([LocalGlobalBlock(dim, first_attn=first_attn) for _ in range(depth)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RegionModel()
    out = model(torch.randn(6, 5, 8))
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(model.blocks[0].mix.weight.grad.norm().item(), 4))
