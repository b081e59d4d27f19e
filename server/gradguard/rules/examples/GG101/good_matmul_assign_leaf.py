"""`x @= m` on a leaf that requires grad runs clean.

Tensors have no in-place matmul: Python falls back to `x = x @ m`, which builds a new tensor and
leaves the leaf alone. (A surprise for a rule that treats every augmented assignment as in place.)
"""
import torch

x = torch.tensor([[1.0, 2.0]], requires_grad=True)
leaf = x
m = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
x @= m
x.sum().backward()
print("x:", x.tolist(), "is leaf:", x.is_leaf)
print("leaf.grad:", leaf.grad.tolist())
