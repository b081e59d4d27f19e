"""Attention weights cast back with `.type_as()` and dropped out of place."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, dropout=0.1):
        super().__init__()
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(dim, dim, bias=False)
        self.v = nn.Linear(dim, dim, bias=False)
        self.dropout = dropout

    def forward(self, x):
        q, k, v = self.q(x), self.k(x), self.v(x)
        scores = q @ k.transpose(1, 2) / x.size(-1) ** 0.5
        weights = F.softmax(scores.float(), dim=-1).type_as(q)
        weights = F.dropout(weights, p=self.dropout, training=self.training)
        return weights @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Attention(8)
    model(torch.randn(2, 4, 8)).sum().backward()
    print("grad norm:", round(model.q.weight.grad.norm().item(), 4))
