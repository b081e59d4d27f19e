"""Zeroing an embedding's padding row under `torch.no_grad()`."""
import torch
import torch.nn as nn

torch.manual_seed(0)
emb = nn.Embedding(4, 2)
with torch.no_grad():
    emb.weight[0] = 0
out = emb(torch.tensor([0, 2, 0]))
out.sum().backward()
print("row 0:", emb.weight[0].tolist())
print("weight.grad:", emb.weight.grad.tolist())
