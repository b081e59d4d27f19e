"""A loss computed from `w` itself."""
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
x = torch.tensor([3.0, 1.0])
loss = ((w * x).sum() - 1.0) ** 2
loss.backward()
print("w.grad:", w.grad.tolist())
