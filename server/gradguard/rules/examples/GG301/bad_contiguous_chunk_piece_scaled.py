"""A chunk piece made `.contiguous()` and scaled in place: a piece cut along dim 0 is contiguous.

`.contiguous()` returns the tensor itself when its memory is contiguous, and a piece that `chunk` cut along the
first dimension is. `k` is then still one of chunk's views, and torch forbids changing those in place.
"""
import torch
import torch.nn as nn


class PairAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.to_kv = nn.Linear(dim, dim)
        self.scale = dim ** -0.5

    def forward(self, x, y):
        k, v = self.to_kv(torch.cat([x, y], dim=0)).chunk(2, dim=0)
        k = k.contiguous()
        k *= self.scale  # expect GG301; torch raises: is a view and is being modified inplace
        return (k @ v.transpose(-1, -2)).tanh().sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PairAttention(8)
    model(torch.randn(2, 4, 8), torch.randn(2, 4, 8)).backward()
    print("grad norm:", round(model.to_kv.weight.grad.norm().item(), 4))
