"""`scale.mul_(2)` on a leaf that requires grad.

Methods ending in `_` change the tensor in place. On a leaf that requires grad, with grad mode on,
torch raises at the call.
"""
import torch

scale = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0], requires_grad=True)
scale.mul_(2)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
y = (scale * x).sum()
y.backward()
print("y:", y.item())
print("x.grad:", x.grad.tolist())
