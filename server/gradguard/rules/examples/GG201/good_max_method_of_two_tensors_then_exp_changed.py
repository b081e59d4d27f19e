"""`b = b + 1` before the backward of `a.max(b).sum()`: exp's saved output is left as it was."""
import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
a = x - 1
b = x.exp()
total = a.max(b).sum()
b = b + 1
total.backward()
print("x.grad:", x.grad.tolist())
