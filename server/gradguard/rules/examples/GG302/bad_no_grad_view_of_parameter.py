"""Zeroing part of a parameter through a view taken under `torch.no_grad()`, after the block."""
import torch

w = torch.tensor([0.5, -1.0, 2.0, 1.5], requires_grad=True)
with torch.no_grad():
    tail = w[2:]
tail.zero_()  # expect GG302; torch raises: A view was created in no_grad mode and is being modified inplace with grad mode enabled
loss = (w * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum()
loss.backward()
print("w:", w.tolist())
print("w.grad:", w.grad.tolist())
