"""Seed article, fixed: clone the leaf, then assign into the clone's rows.

Only the first row of the result still depends on `x`, so that is the only row with a gradient.
"""
import torch

torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
y = torch.randn(2, 4)
x_modified = x.clone()
x_modified[1:, :] = y
z = x_modified.sum()
z.backward()
print("z:", round(z.item(), 4))
print("x.grad:", x.grad.tolist())
