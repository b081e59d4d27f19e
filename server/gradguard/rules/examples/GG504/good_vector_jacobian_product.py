"""`y.backward(gradient=v)`: a vector-Jacobian product with explicit weights."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
v = torch.tensor([1.0, 0.5, 0.0])
y.backward(gradient=v)
print("x.grad:", x.grad.tolist())
