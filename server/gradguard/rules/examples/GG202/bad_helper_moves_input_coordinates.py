"""A layer's helper moves the coordinates it was given in place: `coord += shift` (EGNN-style).

forward() passes its own input to the helper, which changes the caller's tensor. The caller here asks for the
gradient with respect to the positions (forces), so the coordinates are a leaf that requires grad: torch refuses
at the helper's line.
"""
import torch
import torch.nn as nn


class CoordinateUpdate(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.mlp = nn.Linear(dim, 1)

    def move(self, coord, features):
        shift = self.mlp(features)
        coord += shift  # expect GG202; torch raises: a leaf Variable that requires grad is being used in an in-place operation
        return coord

    def forward(self, coord, features):
        return self.move(coord, features)


if __name__ == "__main__":
    torch.manual_seed(0)
    positions = torch.tensor([[0.0, 1.0], [1.0, 0.0]], requires_grad=True)
    energy = CoordinateUpdate(3)(positions, torch.ones(2, 3)).sum()  # expect GG101
    energy.backward()
    print("forces:", [round(v, 4) for v in positions.grad.flatten().tolist()])
