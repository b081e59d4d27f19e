"""Seed article: `slice_part = my_tensor[1:4]; slice_part[:] = ...` on a leaf.

The article says this works and shows gradients. torch raises at `slice_part[:] = ...`: `slice_part`
is a view of a leaf that requires grad.
"""
import torch

my_tensor = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
slice_part = my_tensor[1:4]
slice_part[:] = torch.tensor([10.0, 11.0, 12.0])  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
print("Updated Original Tensor:", my_tensor.tolist())
loss = my_tensor.sum()
loss.backward()
print("Gradient of tensor", my_tensor.grad.tolist())
