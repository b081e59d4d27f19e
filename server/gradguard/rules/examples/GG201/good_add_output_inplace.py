"""`y.mul_(2)` on the result of an addition: addition saves nothing."""
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
y = a + b
y.mul_(2)
y.sum().backward()
print("y:", y.tolist())
print("a.grad:", a.grad.tolist(), "b.grad:", b.grad.tolist())
