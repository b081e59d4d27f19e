"""Filling a leaf through `x[:] = values` under `torch.no_grad()`.

No graph records the write, and torch allows it.
"""
import torch

x = torch.zeros(3, requires_grad=True)
with torch.no_grad():
    x[:] = torch.tensor([1.0, 2.0, 3.0])
loss = (x * x).sum()
loss.backward()
print("x.grad:", x.grad.tolist())
