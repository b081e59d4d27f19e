"""`a = a.mul(2)` where `a, b = h.unbind(0)`."""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = x * 2
a, b = h.unbind(0)
a = a.mul(2)
loss = (a * b).sum()
loss.backward()
print("loss:", loss.item())
print("x.grad:", x.grad.tolist())
