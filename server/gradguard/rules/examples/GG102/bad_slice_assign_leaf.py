"""Seed article: `x[1:, :] = y` on a leaf that requires grad.

The article says backward() later fails with a `grad_fn=<CopySlices>` error. torch 2.13 raises at
the assignment itself: `x[1:, :]` is a view of the leaf, and writing into it writes into the leaf.
"""
import torch

torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
y = torch.randn(2, 4)
x[1:, :] = y  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
z = x.sum()
z.backward()
print("z:", round(z.item(), 4))
print("x.grad:", x.grad.tolist())
