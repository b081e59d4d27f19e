"""Seed article: `slice_part = torch.tensor(...)` rebinds the name; the leaf is untouched.

Assigning to a plain name never changes a tensor. The leaf keeps its values and gets a gradient of
ones.
"""
import torch

my_tensor = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
slice_part = my_tensor[1:4]
slice_part = torch.tensor([10.0, 11.0, 12.0])
print("Updated Slice:", slice_part.tolist())
print("Updated Original Tensor:", my_tensor.tolist())
loss = my_tensor.sum()
loss.backward()
print("Gradient of tensor", my_tensor.grad.tolist())
