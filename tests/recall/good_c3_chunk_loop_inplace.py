"""Category 3: each chunk of a projection is normalised in place in a loop."""
import torch
from torch import nn


class MultiQueryNorm(nn.Module):
    def __init__(self, dim, groups=2):
        super().__init__()
        self.groups = groups
        self.proj = nn.Linear(dim, dim * groups)

    def forward(self, x):
        parts = list(self.proj(x).chunk(self.groups, dim=-1))
        for i, part in enumerate(parts):
            parts[i] = part - part.mean(dim=-1, keepdim=True)
        return torch.cat(parts, dim=-1)


if __name__ == "__main__":
    m = MultiQueryNorm(4)
    m(torch.randn(3, 4)).pow(2).sum().backward()
