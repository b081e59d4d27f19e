"""`x = x ** 2` instead of `x **= 2`."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
x = x ** 2
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
