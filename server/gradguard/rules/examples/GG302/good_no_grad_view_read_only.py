"""A view taken under `torch.no_grad()` and only read afterwards (logging)."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = torch.tanh(x)
with torch.no_grad():
    head = h[:2]
print("head:", [round(v, 4) for v in (head * 100).tolist()])
h.sum().backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
