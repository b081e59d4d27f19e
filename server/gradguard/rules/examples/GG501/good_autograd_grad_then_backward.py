"""`torch.autograd.grad(y, x, retain_graph=True)`, then `y.backward()`."""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x, retain_graph=True)
print("dy/dx:", g.tolist())
y.backward()
print("x.grad:", x.grad.tolist())
