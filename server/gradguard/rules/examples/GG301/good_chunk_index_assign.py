"""Clone `q` from `h.chunk(2, dim=-1)` before writing into it."""
import torch

torch.manual_seed(0)
proj = torch.randn(3, 4, requires_grad=True)
x = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
h = x @ proj
q, k = h.chunk(2, dim=-1)
q = q.clone()
q[:, 0] = 0
scores = q @ k.T
scores.sum().backward()
print("scores:", [[round(v, 4) for v in row] for row in scores.tolist()])
print("proj.grad:", [[round(v, 4) for v in row] for row in proj.grad.tolist()])
