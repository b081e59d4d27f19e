"""`rotations.detach_()` of a `view` of rotation matrices, under `torch.no_grad()`.

torch refuses to detach a view in place even with grad mode off and nothing requiring grad.
"""
import torch

torch.manual_seed(0)
quaternions = torch.randn(2, 5, 4)
with torch.no_grad():
    matrices = torch.randn(10, 9)
    rotations = matrices.view(2, 5, 3, 3)
    rotations.detach_()  # expect GG304; torch raises: Can't detach views in-place
print(rotations.shape)
