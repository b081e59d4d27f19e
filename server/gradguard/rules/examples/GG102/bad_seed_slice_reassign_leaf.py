"""Seed article: `x[:2, :] = x[:2, :] + 1` on a leaf raises just like `x[:2, :] += 1`.

The article suggests that writing the slice update with `=` instead of `+=` avoids the error. The
right-hand side is out of place, but the assignment into the slice is still an in-place write into a
view of the leaf.
"""
import torch

x = torch.arange(8.0).reshape(4, 2).requires_grad_()
x[:2, :] = x[:2, :] + 1  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
y = x.sum()
y.backward()
print("y:", y.item())
