"""Category 2: a dataclass config's default turns the attention dropout in place."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class AttnConfig:
    dim: int = 8
    heads: int = 2
    attn_pdrop: float = 0.1
    inplace_dropout: bool = True


class Attention(nn.Module):
    def __init__(self, cfg: AttnConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.attn_drop = nn.Dropout(cfg.attn_pdrop, inplace=cfg.inplace_dropout)

    def forward(self, x):
        q, k, v = self.qkv(x).split(self.cfg.dim, dim=-1)
        w = torch.matmul(q, k.transpose(-1, -2)) * (self.cfg.dim ** -0.5)
        w = F.softmax(w, dim=-1)
        w = self.attn_drop(w)  # BUG
        return torch.matmul(w, v)


if __name__ == "__main__":
    m = Attention(AttnConfig())
    m.train()
    m(torch.randn(2, 4, 8)).sum().backward()
