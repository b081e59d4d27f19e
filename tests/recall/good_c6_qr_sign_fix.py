"""Category 6: an orthogonality regulariser fixes the sign of Q from torch.linalg.qr in place."""
import torch
from torch import nn


class OrthoLinear(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(dim, dim))

    def forward(self, x):
        q, r = torch.linalg.qr(self.weight)
        q = q * torch.sign(torch.diagonal(r)).unsqueeze(0)
        return x @ q


if __name__ == "__main__":
    m = OrthoLinear(3)
    m(torch.randn(2, 3)).sum().backward()
