"""`x **= 2` on a leaf that requires grad.

Every augmented assignment on a tensor (`+= -= *= /= **= //= %=`) is an in-place op.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
x **= 2  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
