"""Clone after expanding, then `fill_` the clone."""
import torch

x = torch.tensor([[1.0, 2.0]], requires_grad=True)
h = x * 3
e = h.expand(3, 2).clone()
e.fill_(0.0)
e.sum().backward()
print("x.grad:", x.grad.tolist())
