"""Seed article: `x += 1` after `y = 2 * x` was computed, before backward().

The article says backward() fails with "modified by an in-place operation". torch 2.13 raises earlier,
at the `+=`: `x` is a leaf that requires grad.
"""
import torch

x = torch.ones(5, requires_grad=True)
y = 2 * x
loss = y.sum()
x += 1  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss.backward()
print("x:", x.tolist())
print("x.grad:", x.grad.tolist())
