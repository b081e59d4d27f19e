"""Seed article: `x = x + 1` only rebinds the name; the original leaf still gets its gradient.

The article says only `y` gets a gradient "since x was reassigned". In fact the original leaf gets
`[1.0, 1.0]` like `y`; the name `x` just points at a new non-leaf tensor afterwards (reading `.grad`
of that one gives None and a warning, so this version keeps a second name for the leaf).
"""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
original_x = x
y = torch.tensor([3.0, 4.0], requires_grad=True)
z = x + y
x = x + 1

loss = torch.sum(z)
loss.backward()

print("x is a leaf:", x.is_leaf)
print("Gradient of the original x:", original_x.grad.tolist())
print("Gradient of y:", y.grad.tolist())
