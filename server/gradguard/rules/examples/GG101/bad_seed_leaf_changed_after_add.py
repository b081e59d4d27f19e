"""Seed article: `x += 1` after `z = x + y`, before backward().

The article says the gradient of `x` comes out as garbage or None. torch raises at the `+=` itself:
`x` is a leaf that requires grad.
"""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
z = x + y
x += 1  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = torch.sum(z)
loss.backward()
print("Gradient of x:", x.grad.tolist())
print("Gradient of y:", y.grad.tolist())
