"""`F.relu(x, inplace=False)` on an input that requires grad.

The input stays a leaf and receives its gradient.
"""
import torch
import torch.nn.functional as F

x = torch.tensor([[-1.0, 0.5, 2.0]], requires_grad=True)
w = torch.tensor([[3.0, -2.0, 1.0]])
h = F.relu(x, inplace=False)
out = (h * w).sum()
out.backward()
print("out:", out.item())
print("x.grad:", x.grad.tolist())
