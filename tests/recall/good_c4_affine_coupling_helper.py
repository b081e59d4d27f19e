"""Category 4: a coupling block's _affine helper damps the subnet's scale output in place."""
import torch
from torch import nn


class AffineCoupling(nn.Module):
    def __init__(self, dim, hidden=16):
        super().__init__()
        self.half = dim // 2
        self.subnet = nn.Sequential(nn.Linear(self.half, hidden), nn.ReLU(), nn.Linear(hidden, 2 * (dim - self.half)), nn.Tanh())

    def _affine(self, x, a):
        a = a * 0.1
        s, t = a.chunk(2, dim=1)
        s = torch.tanh(s)
        return x * torch.exp(s) + t, s.sum(dim=1)

    def forward(self, x):
        x1, x2 = x[:, :self.half], x[:, self.half:]
        a = self.subnet(x1)
        y2, log_det = self._affine(x2, a)
        return torch.cat([x1, y2], dim=1), log_det


if __name__ == "__main__":
    block = AffineCoupling(6)
    y, ld = block(torch.randn(4, 6))
    (y.sum() + ld.sum()).backward()
