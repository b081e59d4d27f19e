"""Zeroing part of a parameter through a view, all under `torch.no_grad()`."""
import torch

w = torch.tensor([0.5, -1.0, 2.0, 1.5], requires_grad=True)
with torch.no_grad():
    tail = w[2:]
    tail.zero_()
loss = (w * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum()
loss.backward()
print("w:", w.tolist())
print("w.grad:", w.grad.tolist())
