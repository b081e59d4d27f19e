"""A layer's helper moves the coordinates it was given out of place: `coord = coord + shift`.

The caller's positions (a leaf that requires grad: it wants the forces) stay as they were, and backward() gives
their gradient.
"""
import torch
import torch.nn as nn


class CoordinateUpdate(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.mlp = nn.Linear(dim, 1)

    def move(self, coord, features):
        shift = self.mlp(features)
        coord = coord + shift
        return coord

    def forward(self, coord, features):
        return self.move(coord, features)


if __name__ == "__main__":
    torch.manual_seed(0)
    positions = torch.tensor([[0.0, 1.0], [1.0, 0.0]], requires_grad=True)
    energy = CoordinateUpdate(3)(positions, torch.ones(2, 3)).sum()
    energy.backward()
    print("forces:", [round(v, 4) for v in positions.grad.flatten().tolist()])
