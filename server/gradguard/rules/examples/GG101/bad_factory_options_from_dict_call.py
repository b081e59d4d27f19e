"""Factory options built with `dict(...)` and passed as `**options`, `requires_grad=True` among them.

`dict(requires_grad=True, dtype=torch.float32)` has known keys, so the zeros are a leaf that requires grad.
"""
import torch

options = dict(requires_grad=True, dtype=torch.float32)
w = torch.zeros(3, **options)
w.mul_(2)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
print("w:", w.tolist())
