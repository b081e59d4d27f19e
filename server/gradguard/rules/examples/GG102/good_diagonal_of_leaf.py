"""Zeroing the diagonal of a parameter under `torch.no_grad()`."""
import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
x = torch.tensor([1.0, 1.0])
with torch.no_grad():
    w.diagonal().zero_()
y = (w @ x).sum()
y.backward()
print("y:", y.item())
print("w.grad:", w.grad.tolist())
