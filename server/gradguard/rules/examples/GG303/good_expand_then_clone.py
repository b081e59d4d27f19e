"""`x.expand(4, 3).clone()` gives every element its own memory; in-place ops are fine after that."""
import torch

x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
e = x.expand(4, 3).clone()
e += torch.arange(4.0).unsqueeze(1)
e[0] = 0
e.sum().backward()
print("e:", e.tolist())
print("x.grad:", x.grad.tolist())
