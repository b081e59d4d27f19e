"""Initializing parameters with `nn.init.normal_` / `nn.init.zeros_` / `nn.init.constant_`.

The trailing `_` means in place, and the parameters require grad, but the `nn.init` functions run under
`torch.no_grad()` themselves.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
nn.init.normal_(layer.weight, mean=0.0, std=0.1)
nn.init.zeros_(layer.bias)
extra = nn.Parameter(torch.empty(2))
nn.init.constant_(extra, 0.5)
out = layer(torch.tensor([[1.0, 2.0, 3.0]])) + extra
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("bias.grad:", layer.bias.grad.tolist())
