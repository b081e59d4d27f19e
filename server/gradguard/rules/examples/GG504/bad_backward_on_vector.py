"""`y.backward()` on a tensor with three elements."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
y.backward()  # expect GG504; torch raises: grad can be implicitly created only for scalar outputs
print("x.grad:", x.grad.tolist())
