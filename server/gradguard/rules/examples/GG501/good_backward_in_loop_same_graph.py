"""A `for` loop that calls `loss.backward(retain_graph=True)` on one loss several times."""
import torch

w = torch.tensor([0.5, -1.0], requires_grad=True)
x = torch.tensor([2.0, 1.0])
loss = ((w * x).sum() - 1.0) ** 2
for _ in range(3):
    loss.backward(retain_graph=True)
print("w.grad:", w.grad.tolist())
