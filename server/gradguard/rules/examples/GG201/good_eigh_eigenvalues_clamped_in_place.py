"""The same square root with `evals = evals.clamp_min(0.0)`: eigh's saved eigenvalues are left alone."""
import torch

torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
cov = x @ x.T
evals, evecs = torch.linalg.eigh(cov)
evals = evals.clamp_min(0.0)
root = evecs * evals.sqrt()
root.sum().backward()
print("root:", [round(v, 4) for v in root.flatten().tolist()])
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
