"""`h = torch.sigmoid(h)` instead of `out=h`."""
import torch

x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
h = x * 2
h = torch.sigmoid(h)
h.sum().backward()
print("h:", [round(v, 4) for v in h.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
