"""A distance matrix from `torch.cdist` nudged in place where it is zero, before the loss reads it.

`torch.cdist` keeps its output for backward (CdistBackward0 divides by the distances), so
`dist[dist == 0] += 1e-7` changes a saved tensor (alphafold2's MDS step).
"""
import torch

torch.manual_seed(0)
coords = torch.randn(5, 3, requires_grad=True)
target = torch.rand(5, 5)
dist = torch.cdist(coords, coords)
dist[dist == 0] += 1e-7  # expect GG201
stress = ((dist - target) ** 2).sum()
stress.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("coords.grad sum:", round(coords.grad.sum().item(), 4))
