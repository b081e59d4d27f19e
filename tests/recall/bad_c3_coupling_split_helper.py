"""Category 3: a flow coupling layer splits z with a helper returning slices; z2 is shifted in place."""
import torch
from torch import nn


def split_half(z):
    c = z.size(1) // 2
    return z[:, :c], z[:, c:]


class AdditiveCoupling(nn.Module):
    def __init__(self, channels, hidden=16):
        super().__init__()
        half = channels // 2
        self.net = nn.Sequential(nn.Linear(half, hidden), nn.ReLU(), nn.Linear(hidden, half))

    def forward(self, z):
        z1, z2 = split_half(z)
        z2 += self.net(z1)  # BUG
        return torch.cat([z1, z2], dim=1)


if __name__ == "__main__":
    flow = AdditiveCoupling(6)
    z = torch.randn(4, 6, requires_grad=True)
    flow(z * 1.0).sum().backward()
