"""`x[mask] = 0` on a leaf that requires grad.

A boolean mask is advanced indexing: the assignment is an `index_put_` on `x` itself, so torch reports
the leaf itself (not a view of it), at the assignment.
"""
import torch

x = torch.tensor([0.5, -1.0, 2.0, -0.2], requires_grad=True)
w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
mask = x < 0
x[mask] = 0  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
