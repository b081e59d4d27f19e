"""Changing the NumPy array behind `torch.from_numpy(a)` before backward().

`from_numpy` does not copy: `x` is a view of `a`'s memory, and pow saved `x`.
"""
import numpy as np
import torch

a = np.array([1.0, 2.0, 3.0], dtype=np.float32)
x = torch.from_numpy(a).requires_grad_()
y = (x ** 3).sum()
true_grad = 3 * torch.tensor([1.0, 2.0, 3.0]) ** 2
a[1] = 0.0  # expect GG402
y.backward()
print("y:", y.item())
print("x.grad:", x.grad.tolist())
assert not torch.equal(x.grad, true_grad)  # silently wrong
