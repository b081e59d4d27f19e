"""Seed article, fixed: the update of `x` after the forward pass runs under `torch.no_grad()`.

`2 * x` does not save `x` for backward (the gradient is the constant 2), so changing `x` after the
forward pass and before backward() is harmless here.
"""
import torch

x = torch.ones(5, requires_grad=True)
y = 2 * x
loss = y.sum()
with torch.no_grad():
    x += 1
loss.backward()
print("x:", x.tolist())
print("x.grad:", x.grad.tolist())
