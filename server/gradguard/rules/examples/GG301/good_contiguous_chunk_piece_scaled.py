"""A chunk piece cut along the last dimension, made `.contiguous()` (a copy) and scaled in place."""
import torch
import torch.nn as nn


class PairAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.to_kv = nn.Linear(dim, 2 * dim)
        self.scale = dim ** -0.5

    def forward(self, x):
        k, v = self.to_kv(x).chunk(2, dim=-1)
        k = k.contiguous()
        k *= self.scale
        return (k @ v.transpose(-1, -2)).tanh().sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PairAttention(8)
    model(torch.randn(2, 4, 8)).backward()
    print("grad norm:", round(model.to_kv.weight.grad.norm().item(), 4))
