"""The graph layer with the residual connection added out of place: `out = out + x`."""
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
            out = out + x
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = GraphLayer(4, residual=True)
    nodes = torch.randn(3, 4)
    layer(nodes, torch.eye(3)).sum().backward()
    print("weight grad sum:", round(layer.proj.weight.grad.sum().item(), 4))
