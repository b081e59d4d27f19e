"""backward() through a sum of a detached branch and an attached one runs clean.

A detached tensor only stops the gradient along its own path. As long as the result still depends on
something that requires grad, backward() works; the detached branch contributes nothing.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
z = h.detach()
w = z * h
w.sum().backward()
print("w:", w.tolist())
print("x.grad:", x.grad.tolist())
