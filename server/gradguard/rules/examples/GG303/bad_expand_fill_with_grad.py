"""`e.fill_(0)` on an expanded tensor that requires grad: the forward runs, backward() fails.

`fill_` writes one value everywhere, which torch allows even on an expanded tensor. But autograd
records the in-place change of a view as a `CopySlices` node, and its backward pass has to write the
gradient through the expanded layout: that is where torch raises.
"""
import torch

x = torch.tensor([[1.0, 2.0]], requires_grad=True)
h = x * 3
e = h.expand(3, 2)
e.fill_(0.0)  # expect GG303
e.sum().backward()  # torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("x.grad:", x.grad.tolist())
