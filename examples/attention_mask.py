"""Scaled dot-product attention with a padding mask.

`scores.masked_fill_(...)` on the raw scores is fine: the matmul that made them does not keep its
output. The bug is later: the attention weights come out of softmax, which keeps its output for
backward, and the dropout below is done in place on them.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.scale = dim ** -0.5

    def forward(self, x, pad_mask):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = (q @ k.transpose(-2, -1)) * self.scale
        scores.masked_fill_(pad_mask[:, None, :], float("-inf"))
        weights = scores.softmax(dim=-1)
        weights = F.dropout(weights, p=0.1, training=self.training, inplace=True)  # expect GG201
        return self.proj(weights @ v)


torch.manual_seed(0)
attn = SelfAttention(8)
x = torch.randn(2, 5, 8)
pad = torch.tensor([[False] * 4 + [True], [False] * 5])
out = attn(x, pad)
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", out.shape)
