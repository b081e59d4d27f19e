"""A tensor created without grad and switched on with `requires_grad_()` before the loss."""
import torch

w = torch.tensor([0.5, -0.5])
w.requires_grad_()
loss = (w * torch.tensor([2.0, 4.0])).sum() ** 2
loss.backward()
print("w.grad:", w.grad.tolist())
