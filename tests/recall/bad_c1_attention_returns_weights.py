"""Category 1: an attention submodule returns (out, weights); the caller masks the weights in place."""
import torch
from torch import nn


class ScaledDotAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)

    def forward(self, x):
        w = torch.softmax(self.q(x) @ self.k(x).transpose(1, 2), dim=-1)
        return w @ x, w


class Pooler(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.attn = ScaledDotAttention(dim)

    def forward(self, x, keep):
        out, weights = self.attn(x)
        weights *= keep.unsqueeze(1)  # BUG
        return out.sum(1).sum(-1) + weights.sum((1, 2))


if __name__ == "__main__":
    p = Pooler(4)
    p(torch.randn(2, 3, 4), torch.ones(2, 3)).sum().backward()
