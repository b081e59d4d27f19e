"""Changing `y.detach()` in place when nothing saved `y`.

`y = x * 2` saves only the constant, and `y * 3` saves only the constant too. The detached tensor
shares memory with `y` (so `y` changes as well), but no gradient depends on its value.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
d = y.detach()
d += 1
(y * 3).sum().backward()
print("y:", y.tolist())
print("x.grad:", x.grad.tolist())
