"""backward() on the loss itself; `loss.item()` only for printing."""
import torch

w = torch.tensor([0.5, 1.5], requires_grad=True)
x = torch.tensor([2.0, -1.0])
loss = ((w * x).sum() - 1.0) ** 2
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
