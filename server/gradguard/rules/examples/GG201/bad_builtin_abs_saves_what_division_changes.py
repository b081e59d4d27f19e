"""`phase /= abs(phase)`: the builtin `abs(t)` is torch.abs, which saves `t` for backward.

The in-place division then changes the tensor `abs` saved (its version counter moves past the one recorded), so
backward() raises. A sign fix of singular vectors written this way (normalise each column's phase) breaks as soon
as the vectors require grad.
"""
import torch


def fix_signs(u):
    phase = u[:1] * 1.0
    phase /= abs(phase)  # expect GG201
    return u * phase


torch.manual_seed(0)
u = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
fix_signs(u).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("u.grad:", [round(v, 4) for v in u.grad.sum(0).tolist()])
