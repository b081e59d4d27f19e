"""Category 2: an nn.Sequential built from an OrderedDict with a Tanh; the block adds its input in place."""
from collections import OrderedDict

import torch
from torch import nn


class HighwayBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.transform = nn.Sequential(OrderedDict([
            ("fc", nn.Linear(dim, dim)),
            ("norm", nn.LayerNorm(dim)),
            ("act", nn.Tanh()),
        ]))

    def forward(self, x):
        h = self.transform(x)
        h += x  # BUG
        return h


if __name__ == "__main__":
    blk = HighwayBlock(5)
    blk(torch.randn(2, 5)).sum().backward()
