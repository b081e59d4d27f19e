"""Resetting a layer's bias with `zero_()` while grad mode is on.

Module parameters are leaves that require grad; changing them in place needs `torch.no_grad()`.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 1)
layer.bias.zero_()  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
out = layer(torch.tensor([[1.0, 2.0]]))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("bias:", layer.bias.tolist())
print("weight.grad:", layer.weight.grad.tolist())
