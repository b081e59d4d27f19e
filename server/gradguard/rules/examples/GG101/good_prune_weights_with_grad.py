"""Magnitude pruning under `torch.no_grad()`."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
with torch.no_grad():
    layer.weight[layer.weight.abs() < 0.3] = 0
out = layer(torch.tensor([[1.0, 2.0, 3.0]]))
out.sum().backward()
print("weight:", [[round(v, 4) for v in row] for row in layer.weight.tolist()])
print("weight.grad:", layer.weight.grad.tolist())
