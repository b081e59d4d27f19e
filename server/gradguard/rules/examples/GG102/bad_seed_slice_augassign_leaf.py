"""Seed article: `x[:2, :] += 1` on a leaf, after two forward/backward rounds that worked.

The article wraps the following backward() in try/except and says it raises there. torch raises at
`x[:2, :] += 1`, outside the try: a view of a leaf is changed in place.
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
x[:2, :] += 1  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
try:
    y = x.sum()
    y.backward()
except RuntimeError as e:
    print(f"Error raised: {e}")
print("x.grad:", x.grad.tolist())
