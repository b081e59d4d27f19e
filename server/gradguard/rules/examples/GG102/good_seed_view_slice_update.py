"""Seed article, fixed: the slice update runs under `torch.no_grad()`.

The view writes through to `my_tensor`, which stays a leaf and gets a gradient of ones.
"""
import torch

my_tensor = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
slice_part = my_tensor[1:4]
with torch.no_grad():
    slice_part[:] = torch.tensor([10.0, 11.0, 12.0])
print("Updated Original Tensor:", my_tensor.tolist())
loss = my_tensor.sum()
loss.backward()
print("Gradient of tensor", my_tensor.grad.tolist())
