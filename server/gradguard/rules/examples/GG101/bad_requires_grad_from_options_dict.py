"""`requires_grad=True` given through `**options`, then the leaf changed in place.

A dict literal's keys are known, so `torch.zeros(3, **options)` is a leaf that requires grad.
"""
import torch

options = {"requires_grad": True}
w = torch.zeros(3, **options)
w += 1  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
print("w:", w.tolist())
