"""`first, *rest = h.chunk(3, dim=-1)`, then `rest[0].mul_(2)`.

The starred target takes the other pieces in a list: `rest[0]` is one of the views `chunk` returned.
"""
import torch

torch.manual_seed(0)
proj = torch.randn(3, 6, requires_grad=True)
x = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
h = x @ proj
first, *rest = h.chunk(3, dim=-1)
rest[0].mul_(2)  # expect GG301; torch raises: This view is the output of a function that returns multiple views
out = first * rest[0] + rest[1]
out.sum().backward()
print("out:", [[round(v, 4) for v in row] for row in out.tolist()])
