"""Category 6: a GP marginal likelihood adds jitter to the Cholesky factor's diagonal in place."""
import torch
from torch import nn


class RBFKernelGP(nn.Module):
    def __init__(self):
        super().__init__()
        self.log_lengthscale = nn.Parameter(torch.zeros(()))
        self.log_noise = nn.Parameter(torch.tensor(-2.0))

    def neg_log_likelihood(self, x, y):
        d2 = torch.cdist(x, x).pow(2)
        K = torch.exp(-0.5 * d2 / self.log_lengthscale.exp() ** 2)
        K = K + self.log_noise.exp() * torch.eye(x.shape[0])
        L = torch.linalg.cholesky(K)
        L = L + 1e-6 * torch.eye(L.shape[0])
        alpha = torch.cholesky_solve(y.unsqueeze(-1), L)
        return 0.5 * (y.unsqueeze(-1) * alpha).sum() + L.diagonal().log().sum()


gp = RBFKernelGP()
x, y = torch.randn(6, 2), torch.randn(6)
loss = gp.neg_log_likelihood(x, y)
loss.backward()
