"""Category 4: a rotary-embedding helper rotates the query tensor in place after exp() saved it."""
import torch
from torch import nn


def apply_rotary_(x, cos, sin):
    x1, x2 = x[..., ::2], x[..., 1::2]
    rotated = torch.stack((-x2, x1), dim=-1).flatten(-2)
    x = x * cos + rotated * sin
    return x


class RotaryQuery(nn.Module):
    def __init__(self, dim, seq_len=6):
        super().__init__()
        self.to_q = nn.Linear(dim, dim)
        theta = torch.arange(seq_len)[:, None] * torch.ones(dim)[None]
        self.register_buffer("cos", theta.cos())
        self.register_buffer("sin", theta.sin())

    def forward(self, x):
        q = torch.exp(self.to_q(x))
        return apply_rotary_(q, self.cos, self.sin)


if __name__ == "__main__":
    m = RotaryQuery(4)
    m(torch.randn(2, 6, 4)).sum().backward()
