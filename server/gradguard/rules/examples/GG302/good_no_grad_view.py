"""A view taken and changed in place, both under `torch.no_grad()`."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
with torch.no_grad():
    head = h[:2]
    head.mul_(0.5)
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
