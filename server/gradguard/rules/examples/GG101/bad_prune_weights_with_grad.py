"""Magnitude pruning `layer.weight[layer.weight.abs() < 0.3] = 0` with grad mode on.

The boolean-mask assignment is an in-place `index_put_` on the parameter.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
layer.weight[layer.weight.abs() < 0.3] = 0  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
out = layer(torch.tensor([[1.0, 2.0, 3.0]]))
out.sum().backward()
print("weight:", [[round(v, 4) for v in row] for row in layer.weight.tolist()])
print("weight.grad:", layer.weight.grad.tolist())
