"""Seed article, fixed: the change of `x` after `z = x + y` runs under `torch.no_grad()`.

Addition saves nothing for backward, so both gradients are `[1.0, 1.0]`.
"""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
z = x + y
with torch.no_grad():
    x += 1
loss = torch.sum(z)
loss.backward()
print("Gradient of x:", x.grad.tolist())
print("Gradient of y:", y.grad.tolist())
