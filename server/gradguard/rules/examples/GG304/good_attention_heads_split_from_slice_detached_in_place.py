"""`heads = heads.detach()` where `heads` splits the channels of a slice of the tokens into heads.

The split is a view of the tokens (a `reshape` that only splits the last dim is one for any layout); `detach()`
returns a new tensor that shares its memory without the graph, which torch allows for a view.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
proj = nn.Linear(8, 8)
tokens = proj(torch.randn(2, 5, 8))
patches = tokens[:, 1:]
heads = patches.reshape(*patches.shape[:-1], 2, -1)
heads = heads.detach()
print("heads:", heads.shape, round(heads.sum().item(), 4))
