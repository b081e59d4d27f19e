"""`h = h.add(bias)` on a sigmoid output inside a `while` loop."""
import torch

x = torch.tensor([0.5, -0.5], requires_grad=True)
bias = torch.tensor([0.1, -0.1], requires_grad=True)
h = x
steps = 0
while steps < 2:
    h = torch.sigmoid(h * 2.0)
    h = h.add(bias)
    steps += 1
h.sum().backward()
print("h:", [round(v, 4) for v in h.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
