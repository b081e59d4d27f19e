"""`F.relu(x, inplace=True)` applied to an input that requires grad.

`inplace=True` makes the functional form overwrite its argument; here that argument is a leaf.
"""
import torch
import torch.nn.functional as F

x = torch.tensor([[-1.0, 0.5, 2.0]], requires_grad=True)
w = torch.tensor([[3.0, -2.0, 1.0]])
h = F.relu(x, inplace=True)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
out = (h * w).sum()
out.backward()
print("out:", out.item())
print("x.grad:", x.grad.tolist())
