"""`x[0] = 0.0` on a leaf that requires grad.

An integer index gives a view of the leaf, so the assignment is an in-place write into the leaf.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
x[0] = 0.0  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
loss = (x ** 2).sum()
loss.backward()
print("loss:", loss.item())
