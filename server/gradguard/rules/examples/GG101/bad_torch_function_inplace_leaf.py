"""`torch.relu_(x)` on a leaf that requires grad.

The `torch.<op>_` functions are the in-place forms, just like the `_` methods.
"""
import torch

x = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
torch.relu_(x)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
