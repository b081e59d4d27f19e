"""Reusing a buffer through `.data` after the loss is computed, when nothing saved it.

`h = x * 2` keeps only the constant; `h.sum()` keeps only the shape. Changing `h` afterwards does not
touch anything backward() reads.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
loss = h.sum()
h.data.zero_()
loss.backward()
print("loss:", loss.item())
print("x.grad:", x.grad.tolist())
