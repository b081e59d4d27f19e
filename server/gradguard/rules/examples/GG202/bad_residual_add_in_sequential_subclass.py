"""`x += self.fn(x)` in a residual wrapper held by an `nn.Sequential` subclass (glasses ViT).

The block hands its layers to `super().__init__(...)` and keeps torch's forward, which calls each in turn. The
wrapped LayerNorm saved `x` for backward, and the in-place add then changes it.
"""
import torch
from torch import nn


class ResidualAdd(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        x += self.fn(x)  # expect GG202
        return x


class EncoderBlock(nn.Sequential):
    def __init__(self, emb_size=8):
        super().__init__(
            ResidualAdd(nn.Sequential(nn.LayerNorm(emb_size), nn.Linear(emb_size, emb_size))),  # expect GG201
            nn.GELU(),
        )


torch.manual_seed(0)
embed = nn.Linear(4, 8)
block = EncoderBlock()
out = block(embed(torch.randn(2, 4)))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print(embed.weight.grad.shape)
