"""`scale = scale.mul(2)`: the out-of-place method returns a new tensor.

The leaf is left alone and the doubled scale is an ordinary node of the graph.
"""
import torch

scale = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0], requires_grad=True)
scale = scale.mul(2)
y = (scale * x).sum()
y.backward()
print("y:", y.item())
print("x.grad:", x.grad.tolist())
