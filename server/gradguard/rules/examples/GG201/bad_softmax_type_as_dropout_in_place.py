"""Attention weights cast back with `.type_as()`, dropped out in place: in float32, the softmax output.

`F.softmax(scores.float(), dim=-1).type_as(q)` returns the softmax output itself when `q` is float32 as well (no
mixed precision), and SoftmaxBackward0 keeps that output for backward. Dropout with `inplace=True` then zeroes
entries of it. Under bf16 autocast the cast would copy and the code would run, which is why this is a warning.
"""
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
        weights = F.dropout(weights, p=self.dropout, training=self.training, inplace=True)  # expect GG201
        return weights @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Attention(8)
    model(torch.randn(2, 4, 8)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(model.q.weight.grad.norm().item(), 4))
