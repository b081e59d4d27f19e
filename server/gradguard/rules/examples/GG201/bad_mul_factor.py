"""`h.mul_(0.5)` after `out = h * gate`: multiplication saved both factors.

The gradient of `h * gate` with respect to `gate` is `h`, so autograd keeps `h`.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
g = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
h = x * 3
gate = torch.sigmoid(g)
out = h * gate
h.mul_(0.5)  # expect GG201
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("h:", h.tolist())
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
print("g.grad:", [round(v, 4) for v in g.grad.tolist()])
