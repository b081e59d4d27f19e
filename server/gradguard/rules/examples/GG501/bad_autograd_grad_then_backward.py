"""`torch.autograd.grad(y, x)` followed by `y.backward()`.

`autograd.grad` runs a backward pass too, and frees the graph the same way.
"""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x)
print("dy/dx:", g.tolist())
y.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
print("x.grad:", x.grad.tolist())
