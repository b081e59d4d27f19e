"""`rearrange(q, "b n d -> b (n d)")` on a piece cut along the last axis copies: `q += 1` is fine.

The rows of the piece are not contiguous with each other (each is a third of a row of the chunked tensor), so
merging `n` and `d` cannot be a view: einops' reshape returns a new tensor that no other view shares.
"""
import torch
import torch.nn as nn
from einops import rearrange

torch.manual_seed(0)
proj = nn.Linear(2, 6)
q, k, v = proj(torch.randn(1, 3, 2)).chunk(3, dim=-1)
q = rearrange(q, "b n d -> b (n d)")
q += 1
out = q.sum() + k.sum() + v.sum()
out.backward()
print("out:", round(out.item(), 4))
print("proj.bias.grad:", [round(g, 4) for g in proj.bias.grad.tolist()])
