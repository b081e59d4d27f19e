"""A coupling layer scales half of its input in place: `x2 *= self.scale` on a `chunk` piece of it.

The layer never shows that `x` requires grad, but on the training path it is the previous layer's output, and
the pieces `chunk` returns may not be changed in place then: torch raises at that line.
"""
import torch
import torch.nn as nn


class AffineCoupling(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.scale = nn.Parameter(torch.full((dim // 2,), 0.5))
        self.net = nn.Linear(dim // 2, dim // 2)

    def forward(self, x):
        x1, x2 = x.chunk(2, dim=1)
        x2 *= self.scale  # expect GG301; torch raises: is a view and is being modified inplace
        return torch.cat([x1, x2 + self.net(x1)], dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = nn.Linear(3, 4)
    out = AffineCoupling(4)(encoder(torch.randn(2, 3)))
    out.sum().backward()
    print("grad:", [round(v, 4) for v in encoder.bias.grad.tolist()])
