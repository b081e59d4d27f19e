"""`rotations = rotations.detach()`: a detached copy of the view, under `torch.no_grad()`."""
import torch

torch.manual_seed(0)
quaternions = torch.randn(2, 5, 4)
with torch.no_grad():
    matrices = torch.randn(10, 9)
    rotations = matrices.view(2, 5, 3, 3)
    rotations = rotations.detach()
print(rotations.shape)
