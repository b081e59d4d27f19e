"""`heads.detach_()` where `heads` splits the channels of a slice of the tokens into heads.

`tokens[:, 1:]` (every token but the class token) is a slice, not contiguous, and `reshape` copies such a tensor when
it merges dims; splitting the last dim into heads (`t.reshape(*t.shape[:-1], heads, -1)`) never needs a copy, so the
result is a view of the tokens, and torch refuses to detach a view in place.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
proj = nn.Linear(8, 8)
tokens = proj(torch.randn(2, 5, 8))
patches = tokens[:, 1:]
heads = patches.reshape(*patches.shape[:-1], 2, -1)
heads.detach_()  # expect GG304; torch raises: Can't detach views in-place
print("heads:", heads.shape, round(heads.sum().item(), 4))
