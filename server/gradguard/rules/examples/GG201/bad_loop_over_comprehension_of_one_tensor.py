"""A loop changes each item of `[h for _ in range(3)]` in place after an op saved the item before.

The comprehension repeats one tensor: the second pass changes the tensor `sin` saved in the first.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
h = nn.Linear(3, 3)(torch.randn(2, 3))
outs = [h for _ in range(3)]
loss = 0
for out in outs:
    loss = loss + torch.sin(out).sum()
    out.mul_(2)  # expect GG201
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
