"""`b.add_(1)` before the backward of `a.max(b).sum()`: `b` is exp's output, which exp saved.

`a.max(b)` with a tensor argument is the elementwise maximum of the two: its result's graph goes through `b`.
"""
import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
a = x - 1
b = x.exp()
total = a.max(b).sum()
b.add_(1)  # expect GG201
total.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", x.grad.tolist())
