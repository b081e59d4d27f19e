"""Seed article, fixed: the update of the leaf's first rows runs under `torch.no_grad()`.

Nothing raises; the third backward() adds another 1 to every element of `x.grad`.
"""
import torch

x = torch.arange(16.0).reshape(4, 4).div(10).requires_grad_()
y = x.sum()
y.backward()
print("x.grad:", x.grad.tolist())
x_copy = x.clone()
x_copy[:2, :] += 1
y = x_copy.sum()
y.backward()
with torch.no_grad():
    x[:2, :] += 1
try:
    y = x.sum()
    y.backward()
except RuntimeError as e:
    print(f"Error raised: {e}")
print("x.grad:", x.grad.tolist())
