"""In-place ops on a tensor computed from a leaf.

`h = w * 3` is not a leaf, and multiplication by a constant saves nothing that `h` is needed for, so
`h += 1` and `h.clamp_()` are fine; the gradient reaches `w` through them.
"""
import torch

w = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
h = w * 3
h += 1
h.clamp_(min=0.0)
h.sum().backward()
print("h:", h.tolist())
print("w.grad:", w.grad.tolist())
