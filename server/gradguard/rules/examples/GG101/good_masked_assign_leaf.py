"""`x = x.masked_fill(mask, 0)` instead of assigning through a mask."""
import torch

x = torch.tensor([0.5, -1.0, 2.0, -0.2], requires_grad=True)
w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
mask = x < 0
x = x.masked_fill(mask, 0)
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
