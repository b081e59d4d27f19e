"""A view taken under `torch.no_grad()`, changed in place after the block with grad mode on.

The view has no autograd link to its base. Changing it with grad mode on would silently leave the
base's graph wrong, so torch forbids it.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
with torch.no_grad():
    head = h[:2]
head.mul_(0.5)  # expect GG302; torch raises: A view was created in no_grad mode and is being modified inplace with grad mode enabled
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
