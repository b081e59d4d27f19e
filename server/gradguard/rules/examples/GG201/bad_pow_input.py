"""`h += 1` after `y = h ** 2`: pow saved its input."""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x + 1
y = h ** 2
h += 1  # expect GG201
(y + h).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("y:", y.tolist(), "h:", h.tolist())
print("x.grad:", x.grad.tolist())
