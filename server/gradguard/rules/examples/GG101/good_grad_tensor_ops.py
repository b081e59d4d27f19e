"""In-place ops on `.grad`: scaling, clipping and zeroing gradients.

`.grad` is a plain tensor that does not require grad; changing it in place is how gradient clipping
and accumulation work.
"""
import torch

w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
(w ** 2).sum().backward()
w.grad *= 0.5
w.grad.clamp_(-2.0, 2.0)
print("clipped grad:", w.grad.tolist())
w.grad.zero_()
print("zeroed grad:", w.grad.tolist())
