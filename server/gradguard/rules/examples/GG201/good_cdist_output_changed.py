"""A distance matrix from `torch.cdist` nudged out of place where it is zero: the saved output is kept.

`dist = dist + (dist == 0) * 1e-7` makes a new tensor; the one `cdist` saved stays as it was.
"""
import torch

torch.manual_seed(0)
coords = torch.randn(5, 3, requires_grad=True)
target = torch.rand(5, 5)
dist = torch.cdist(coords, coords)
dist = dist + (dist == 0) * 1e-7
stress = ((dist - target) ** 2).sum()
stress.backward()
print("coords.grad sum:", round(coords.grad.sum().item(), 4))
