"""A view taken and changed while grad mode is off via `torch.set_grad_enabled(False)`."""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = x + 1
torch.set_grad_enabled(False)
flat = h.view(-1)
flat += 1
torch.set_grad_enabled(True)
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
