"""Factory options built with `dict(...)` and passed as `**options`, without `requires_grad`.

The zeros do not require grad, so changing them in place is fine.
"""
import torch

options = dict(dtype=torch.float32)
w = torch.zeros(3, **options)
w.mul_(2)
print("w:", w.tolist())
