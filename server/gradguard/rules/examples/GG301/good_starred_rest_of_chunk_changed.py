"""`first, *rest = h.chunk(3, dim=-1)`, then `rest[0] = rest[0] * 2`.

The list's item is replaced by a new tensor: no view of `chunk` changes.
"""
import torch

torch.manual_seed(0)
proj = torch.randn(3, 6, requires_grad=True)
x = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
h = x @ proj
first, *rest = h.chunk(3, dim=-1)
rest[0] = rest[0] * 2
out = first * rest[0] + rest[1]
out.sum().backward()
print("out:", [[round(v, 4) for v in row] for row in out.tolist()])
print("proj.grad:", [[round(v, 4) for v in row] for row in proj.grad.tolist()])
