"""`torch.enable_grad()` inside `torch.no_grad()`: the loss built there has a graph."""
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        loss = (w ** 2).sum()
    loss.backward()
print("w.grad:", w.grad.tolist())
