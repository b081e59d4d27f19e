"""Category 6: singular values from torch.linalg.svd are clamped in place before the low-rank reconstruction."""
import torch
from torch import nn


class LowRankProjector(nn.Module):
    def __init__(self, dim, rank=2):
        super().__init__()
        self.lin = nn.Linear(dim, dim)
        self.rank = rank

    def forward(self, x):
        h = self.lin(x)
        U, S, Vh = torch.linalg.svd(h, full_matrices=False)
        S.clamp_(max=10.0)  # BUG
        k = self.rank
        return U[:, :k] @ torch.diag(S[:k]) @ Vh[:k]


if __name__ == "__main__":
    m = LowRankProjector(4)
    m(torch.randn(5, 4)).sum().backward()
