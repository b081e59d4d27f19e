"""Category 6: eigenvalues from torch.linalg.eigh are floored in place before the matrix square root."""
import torch
from torch import nn


class WhiteningLayer(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.eps = eps

    def forward(self, x):
        h = self.proj(x)
        h = h - h.mean(0, keepdim=True)
        cov = h.t() @ h / (h.shape[0] - 1)
        evals, evecs = torch.linalg.eigh(cov)
        evals.clamp_(min=self.eps)  # BUG
        inv_sqrt = evecs @ torch.diag(evals.rsqrt()) @ evecs.t()
        return h @ inv_sqrt


if __name__ == "__main__":
    m = WhiteningLayer(3)
    m(torch.randn(16, 3)).pow(2).sum().backward()
