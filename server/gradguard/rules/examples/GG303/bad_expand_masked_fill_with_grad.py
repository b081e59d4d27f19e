"""`masked_fill_` on an expanded tensor that requires grad: the forward only warns, backward() fails.

Like `fill_`, torch lets `masked_fill_` write through an expanded layout (with a deprecation warning), but
autograd records the change of the view as a `CopySlices` node whose backward has to write the gradient
through the expanded layout, and that is where torch raises.
"""
import torch

x = torch.tensor([[1.0, 2.0]], requires_grad=True)
h = x * 3
e = h.expand(3, 2)
e.masked_fill_(torch.eye(3, 2, dtype=torch.bool), 0.0)  # expect GG303
e.sum().backward()  # torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("x.grad:", x.grad.tolist())
