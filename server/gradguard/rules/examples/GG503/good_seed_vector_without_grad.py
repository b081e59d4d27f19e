"""Seed article, fixed: `x` requires grad and the vector gets an explicit `gradient=`."""
import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x * 2
y.backward(gradient=torch.ones_like(y))
print("x.grad:", x.grad.tolist())
