"""Negative eigenvalues chopped with `evals.clamp_min_(0.0)` after `torch.linalg.eigh` kept them.

eigh's backward needs both its outputs, the eigenvalues and the eigenvectors; clamping the eigenvalues in place
bumps their version and backward() fails. Pattern seen in real Gaussian-process code.
"""
import torch

torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
cov = x @ x.T
evals, evecs = torch.linalg.eigh(cov)
evals.clamp_min_(0.0)  # expect GG201
root = evecs * evals.sqrt()
root.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("root:", [round(v, 4) for v in root.flatten().tolist()])
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
