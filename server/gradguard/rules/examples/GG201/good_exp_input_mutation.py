"""Changing the input of `exp` in place after the call: exp saves only its output."""
import torch

x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
h = x * 1.5
y = torch.exp(h)
h += 10
(y.sum() + h.sum()).backward()
print("y:", [round(v, 4) for v in y.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
