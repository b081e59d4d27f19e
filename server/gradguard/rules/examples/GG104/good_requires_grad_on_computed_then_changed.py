"""`requires_grad_()` (True) of a computed tensor passes and keeps its history.

So a later in-place change of it is no change of a leaf, and backward() runs through it.
"""
import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
kept = w * 3
kept.requires_grad_()
kept.add_(1)
kept.sum().backward()
print(w.grad)
