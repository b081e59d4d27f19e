"""A Cholesky factor from `torch.linalg.cholesky_ex` scaled in place: cholesky_ex kept the factor.

cholesky_ex returns the factor and an info tensor; its backward (LinalgCholeskyExBackward0) needs the factor, so
`L.mul_(...)` before backward() makes it fail.
"""
import torch

torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
cov = x.T @ x + torch.eye(3)
L, info = torch.linalg.cholesky_ex(cov)
L.mul_(0.5)  # expect GG201
L.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("info:", info.item())
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
