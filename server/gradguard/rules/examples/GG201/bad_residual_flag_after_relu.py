"""A residual switched on by a constructor flag: `out += x` after `F.relu` saved `out`.

The flag defaults to False, but the code that builds the model passes True; the branch is a real path.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphLayer(nn.Module):
    def __init__(self, dim, residual=False):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.residual = residual

    def forward(self, x, adjacency):
        out = F.relu(self.proj(adjacency @ x))
        if self.residual:
            out += x  # expect GG201
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = GraphLayer(4, residual=True)
    nodes = torch.randn(3, 4)
    layer(nodes, torch.eye(3)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("weight grad sum:", round(layer.proj.weight.grad.sum().item(), 4))
