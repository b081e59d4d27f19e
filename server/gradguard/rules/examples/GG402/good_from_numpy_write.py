"""`torch.from_numpy(a.copy())`: the tensor gets its own memory."""
import numpy as np
import torch

a = np.array([1.0, 2.0, 3.0], dtype=np.float32)
x = torch.from_numpy(a.copy()).requires_grad_()
y = (x ** 3).sum()
true_grad = 3 * torch.tensor([1.0, 2.0, 3.0]) ** 2
a[1] = 0.0
y.backward()
print("y:", y.item())
print("x.grad:", x.grad.tolist())
assert torch.equal(x.grad, true_grad)
