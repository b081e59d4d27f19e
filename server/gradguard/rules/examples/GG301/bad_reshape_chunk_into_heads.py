"""Attention scales its query in place after reshaping a `chunk` piece into heads.

`q` is one of the three views `chunk` returns; `reshape` into heads splits its last dimension, which `reshape` does
as a view, so `q` is still that piece and torch refuses to change it in place. (A reshape that merged dimensions
across the cut would copy instead: the finding is a warning for that reason.)
"""
import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.heads = heads
        self.scale = (dim // heads) ** -0.5

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.reshape(b, n, self.heads, d // self.heads)
        q *= self.scale  # expect GG301; torch raises: This view is the output of a function that returns multiple views
        k = k.reshape(b, n, self.heads, d // self.heads)
        return torch.einsum("bnhd,bmhd->bhnm", q, k)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SelfAttention(8, 2)
    model(torch.randn(2, 3, 8)).sum().backward()
    print("grad norm:", round(model.qkv.weight.grad.norm().item(), 4))
