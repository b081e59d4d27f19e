"""Freezing a computed tensor with `requires_grad_(False)`: it has a grad_fn, so torch refuses."""
import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
scaled = w * 2
scaled.requires_grad_(False)  # expect GG104; torch raises: you can only change requires_grad flags of leaf variables
print(scaled)
