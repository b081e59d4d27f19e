"""Resetting a layer's bias with `zero_()` under `torch.no_grad()`."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 1)
with torch.no_grad():
    layer.bias.zero_()
out = layer(torch.tensor([[1.0, 2.0]]))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("bias:", layer.bias.tolist())
print("weight.grad:", layer.weight.grad.tolist())
