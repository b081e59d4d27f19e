"""`x[[0, 2]] = 0` on a leaf that requires grad.

Indexing with a list is advanced indexing, like a mask: torch reports the leaf, not a view.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
x[[0, 2]] = 0  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = (x * x).sum()
loss.backward()
print("loss:", loss.item())
