"""Copying values into `buf = torch.zeros(1, 3).expand_as(y)` with `copy_`."""
import torch

y = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
buf = torch.zeros(1, 3).expand_as(y)
buf.copy_(y)  # expect GG303; torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("buf:", buf.tolist())
