"""`x = x + 1` builds a new tensor instead of changing the leaf in place.

The name `x` now points at a non-leaf computed from the leaf; the gradient of `w` is the shifted `x`.
"""
import torch

w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
x = x + 1
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
