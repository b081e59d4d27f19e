"""Category 1: a GAT-style layer masks its attention coefficients in place after softmax saved them."""
import torch
import torch.nn.functional as F
from torch import nn


class GraphAttentionLayer(nn.Module):
    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.W = nn.Linear(in_dim, out_dim, bias=False)
        self.a = nn.Linear(2 * out_dim, 1, bias=False)

    def forward(self, h, adj):
        wh = self.W(h)
        n = wh.size(0)
        pairs = torch.cat([wh.unsqueeze(1).expand(n, n, -1), wh.unsqueeze(0).expand(n, n, -1)], dim=-1)
        e = F.leaky_relu(self.a(pairs).squeeze(-1), 0.2)
        alpha = F.softmax(e, dim=1)
        alpha = alpha * adj
        return F.elu(alpha @ wh)


if __name__ == "__main__":
    layer = GraphAttentionLayer(6, 4)
    h = torch.randn(5, 6, requires_grad=True)
    layer(h, (torch.rand(5, 5) > 0.5).float()).sum().backward()
