"""Writing to a copy of the array: `x.detach().numpy().copy()`."""
import numpy as np
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
true_grad = 2 * x.detach().clone()
arr = x.detach().numpy().copy()
arr *= 10
loss.backward()
print("arr:", [round(float(v), 4) for v in arr.flatten()])
print("x.grad:", x.grad.tolist())
assert torch.equal(x.grad, true_grad)
