"""The same Cholesky factor scaled with `L = L * 0.5`: the factor cholesky_ex kept is left alone."""
import torch

torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
cov = x.T @ x + torch.eye(3)
L, info = torch.linalg.cholesky_ex(cov)
L = L * 0.5
L.sum().backward()
print("info:", info.item())
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
