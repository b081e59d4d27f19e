"""A gradient penalty: `autograd.grad(..., create_graph=True)` and then backward() through it.

With `create_graph=True` the graph is kept (`retain_graph` defaults to it) and the gradient itself is
differentiable, so the second backward pass is legitimate.
"""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
penalty = (g ** 2).sum()
penalty.backward()
print("g:", g.tolist())
print("x.grad:", x.grad.tolist())
