"""Seed article: an in-place change of a clone, with and without the clone feeding the loss.

The article says the second loss gives `None` for both gradients. torch disagrees for `x`: the clone
is differentiable, so `x.grad` is `[1.0, 1.0]`; only `y`, which the second loss never uses, has none.
"""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
z = x + y
x_copy = x.clone()
x_copy += 1
loss = torch.sum(z)
loss.backward()
print("Gradient of x:", x.grad.tolist())
print("Gradient of y:", y.grad.tolist())

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
z = x + y
x_copy = x.clone()
x_copy += 1
w = x_copy + 2
loss = torch.sum(w)
loss.backward()
print("Gradient of x:", x.grad.tolist())
print("Gradient of y:", y.grad)
