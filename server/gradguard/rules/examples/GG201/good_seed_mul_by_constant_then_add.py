"""Seed article: `y = x * 2; y += 1` runs clean, every time.

The article says this "sometimes" fails. It never does: multiplying by a constant keeps nothing but
the constant, and `y` is not a leaf, so nothing needs the old value of `y`.
"""
import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x * 2
y += 1
loss = y.sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad:", x.grad.tolist())
