"""Category 2: a pooling block takes its normaliser as a functools.partial default (timm style); the softmax
output is masked in place."""
from functools import partial

import torch
from torch import nn


class AttentionPool(nn.Module):
    def __init__(self, dim, act_layer=partial(nn.Softmax, dim=1), norm_layer=partial(nn.LayerNorm, eps=1e-6)):
        super().__init__()
        self.norm = norm_layer(dim)
        self.score = nn.Linear(dim, 1)
        self.act = act_layer()

    def forward(self, x, keep):
        w = self.act(self.score(self.norm(x)))
        w = w * keep.unsqueeze(-1)
        return (w * x).sum(1)


if __name__ == "__main__":
    pool = AttentionPool(4)
    pool(torch.randn(2, 5, 4), torch.ones(2, 5)).sum().backward()
