"""Category 4: an EGNN-style layer whose coordinate update adds to its coord argument in place."""
import torch
from torch import nn


class EquivariantLayer(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.edge_mlp = nn.Sequential(nn.Linear(hidden * 2 + 1, hidden), nn.SiLU())
        self.coord_mlp = nn.Linear(hidden, 1, bias=False)

    def coord_model(self, coord, row, col, edge_feat):
        trans = (coord[row] - coord[col]) * self.coord_mlp(edge_feat)
        agg = torch.zeros_like(coord).index_add_(0, row, trans)
        coord = coord + agg
        return coord

    def forward(self, h, coord, row, col):
        radial = ((coord[row] - coord[col]) ** 2).sum(-1, keepdim=True)
        edge_feat = self.edge_mlp(torch.cat([h[row], h[col], radial], dim=1))
        return h, self.coord_model(coord, row, col, edge_feat)


if __name__ == "__main__":
    layer = EquivariantLayer(4)
    row, col = torch.tensor([0, 1, 2]), torch.tensor([1, 2, 0])
    coord = torch.randn(3, 3, requires_grad=True)
    _, out = layer(torch.randn(3, 4), coord, row, col)
    out.sum().backward()
