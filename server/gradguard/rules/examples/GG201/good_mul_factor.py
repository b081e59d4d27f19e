"""`h = h.mul(0.5)` after `out = h * gate`: a new tensor, the saved factor is untouched."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
g = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
h = x * 3
gate = torch.sigmoid(g)
out = h * gate
h = h.mul(0.5)
out.sum().backward()
print("h:", h.tolist())
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
print("g.grad:", [round(v, 4) for v in g.grad.tolist()])
