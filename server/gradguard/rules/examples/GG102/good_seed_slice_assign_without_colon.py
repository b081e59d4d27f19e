"""Seed article: `t[1:4] = values` changes `t` itself, with or without `[:]`.

The article claims a slice assignment without `[:]` "creates a view, not a modification". Both forms
write into the original tensor (here one that does not require grad, so both are allowed).
"""
import torch

t = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
t[1:4] = torch.tensor([10.0, 11.0, 12.0])
print("after t[1:4] = ...:", t.tolist())
part = t[1:4]
part[:] = torch.tensor([20.0, 21.0, 22.0])
print("after part[:] = ...:", t.tolist())
