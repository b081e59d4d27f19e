"""A product saves `q`, then a helper's result is written back into a slice of `q` it was given.

The save is made before the statement, not inside the helper: giving the helper a copy would not help, a copy of
`q` before the write does.
"""
import torch


def shift(t):
    return t + 1


def scores(q, w):
    y = q * w
    q[:, 1:] = shift(q[:, 1:])  # expect GG201
    return y + q


torch.manual_seed(0)
q0 = torch.randn(2, 3, requires_grad=True)
w = torch.randn(2, 3, requires_grad=True)
scores(q0 * 1, w).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print([round(v, 4) for v in w.grad.flatten().tolist()])
