"""`q1.mul_(0.5)` before the backward of `torch.min(q1, q2).mean()`: sigmoid saved its output `q1`.

With a tensor as its second argument, `torch.min` is `torch.minimum` (a twin-critic SAC's `torch.min(qf1, qf2)`): one
tensor whose graph goes through both inputs, not a (values, indices) reduction along a dimension.
"""
import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
q1 = torch.sigmoid(x)
q2 = x * 2
loss = -torch.min(q1, q2).mean()
q1.mul_(0.5)  # expect GG201
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", x.grad.tolist())
