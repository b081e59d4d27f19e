"""A chunk piece made `.contiguous()` (the piece itself: cut along dim 0) and scaled out of place."""
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
        k = k * self.scale
        return (k @ v.transpose(-1, -2)).tanh().sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PairAttention(8)
    model(torch.randn(2, 4, 8), torch.randn(2, 4, 8)).backward()
    print("grad norm:", round(model.to_kv.weight.grad.norm().item(), 4))
