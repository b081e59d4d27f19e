"""`q[:, 0] = 0` where `q, k = h.chunk(2, dim=-1)`.

The indexed write is an in-place change of `q`, one of the views `chunk` returned (torch names the
`select` of the write in its message).
"""
import torch

torch.manual_seed(0)
proj = torch.randn(3, 4, requires_grad=True)
x = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
h = x @ proj
q, k = h.chunk(2, dim=-1)
q[:, 0] = 0  # expect GG301; torch raises: This view is the output of a function that returns multiple views
scores = q @ k.T
scores.sum().backward()
print("scores:", [[round(v, 4) for v in row] for row in scores.tolist()])
print("proj.grad:", [[round(v, 4) for v in row] for row in proj.grad.tolist()])
