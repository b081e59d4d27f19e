"""Zeroing an embedding's padding row with `emb.weight[0] = 0` while grad mode is on.

`emb.weight[0]` is a view of the parameter.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
emb = nn.Embedding(4, 2)
emb.weight[0] = 0  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
out = emb(torch.tensor([0, 2, 0]))
out.sum().backward()
print("row 0:", emb.weight[0].tolist())
print("weight.grad:", emb.weight.grad.tolist())
