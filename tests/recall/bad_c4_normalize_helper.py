"""Category 4: a helper normalises its argument in place; forward passes a projection that norm() saved."""
import torch
from torch import nn


def l2_normalize_(t, eps=1e-6):
    t.div_(t.norm(dim=-1, keepdim=True).clamp(min=eps))  # BUG
    return t


class ProjectionHead(nn.Module):
    def __init__(self, dim, out_dim):
        super().__init__()
        self.proj = nn.Linear(dim, out_dim)

    def forward(self, x):
        z = self.proj(x)
        return l2_normalize_(z)


if __name__ == "__main__":
    head = ProjectionHead(8, 4)
    head(torch.randn(3, 8)).sum().backward()
