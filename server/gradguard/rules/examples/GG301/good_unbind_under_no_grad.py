"""Changing an `unbind` output in place under `torch.no_grad()` runs clean.

The multiple-views check only applies with grad mode on. Here the rows were taken with grad mode on
and one is changed under no_grad; nothing saved `h`, so backward() still works.
"""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = x * 2
a, b = h.unbind(0)
with torch.no_grad():
    a.mul_(2)
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
