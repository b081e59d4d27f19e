"""Seed article, fixed: `z = y` keeps the graph, so the gradient reaches `x`."""
import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x * 2
z = y
w = z + 3
w.sum().backward()
print("x.grad:", x.grad.tolist())
