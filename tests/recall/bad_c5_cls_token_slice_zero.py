"""Category 5: forward zeroes part of a learnable positional embedding through a slice, with grad mode on."""
import torch
from torch import nn


class PatchEmbed(nn.Module):
    def __init__(self, dim, num_patches):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.pos_embed = nn.Parameter(torch.randn(1, num_patches + 1, dim) * 0.02)

    def forward(self, x):
        self.pos_embed[:, 0] = 0.0  # BUG
        x = self.proj(x)
        return x + self.pos_embed[:, 1:]


if __name__ == "__main__":
    m = PatchEmbed(4, 3)
    m(torch.randn(2, 3, 4)).sum().backward()
