"""`h = h + 1` after `y = h ** 2`."""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x + 1
y = h ** 2
h = h + 1
(y + h).sum().backward()
print("y:", y.tolist(), "h:", h.tolist())
print("x.grad:", x.grad.tolist())
