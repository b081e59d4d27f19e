"""backward() on a loss built from `w`, created with `requires_grad=True`."""
import torch

w = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([1.0, 2.0])
loss = ((w * x).sum() - 1.0) ** 2
loss.backward()
print("w.grad:", w.grad.tolist())
