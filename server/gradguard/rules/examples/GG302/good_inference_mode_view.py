"""A view taken with grad mode on and changed in place.

`h` is a computed tensor that nothing saved, so changing a view of it is recorded normally.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
head = h[:2]
head.mul_(0.5)
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
