"""Writing to `x.detach().numpy()` between the forward pass and backward().

The array shares memory with `x`, which pow saved. NumPy writes do not move torch's version counter,
so backward() silently uses the new values.
"""
import numpy as np
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
true_grad = 2 * x.detach().clone()
arr = x.detach().numpy()
arr *= 10  # expect GG402
loss.backward()
print("arr:", [round(float(v), 4) for v in arr.flatten()])
print("x.grad:", x.grad.tolist())
assert not torch.equal(x.grad, true_grad)  # silently wrong
