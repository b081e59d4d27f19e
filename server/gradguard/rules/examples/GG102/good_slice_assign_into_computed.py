"""`h[0] = 0` on `h = x * 2`: a view of a computed tensor, not of a leaf.

`h` is not a leaf and multiplication by a constant saves nothing, so the write is recorded as a
`CopySlices` node and the gradient of the overwritten row is simply zero.
"""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = x * 2
h[0] = 0.0
h[1, 1] += 10.0
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
