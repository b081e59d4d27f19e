"""Freezing a computed tensor after `.detach()`: a leaf, whose flag can change."""
import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
scaled = (w * 2).detach()
scaled.requires_grad_(False)
print(scaled)
