"""A script that switches grad mode on with `torch.set_grad_enabled(True)` and then trains."""
import torch

torch.set_grad_enabled(True)
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
print("w.grad:", w.grad.tolist())
