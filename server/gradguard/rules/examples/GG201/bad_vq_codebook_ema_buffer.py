"""A VQ codebook buffer read by `x @ self.embed.t()`, then EMA-updated in place in the same forward.

The buffer does not require grad, but `matmul` saves it to compute the gradient of `x`. `torch.no_grad()` only
stops recording: `self.embed.mul_(...)` still bumps the codebook's version, and backward() finds it changed.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SoftQuantizer(nn.Module):
    def __init__(self, dim, n_codes=6, decay=0.9):
        super().__init__()
        self.decay = decay
        self.register_buffer("embed", torch.randn(n_codes, dim))

    def forward(self, x):
        probs = F.softmax(x @ self.embed.t(), dim=-1)
        quant = probs @ self.embed
        if self.training:
            with torch.no_grad():
                new = (probs.t() @ x) / (probs.sum(0).unsqueeze(1) + 1e-5)
                self.embed.mul_(self.decay).add_(new, alpha=1 - self.decay)  # expect GG201
        return quant


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), SoftQuantizer(4))
    out = model(torch.randn(5, 4))
    out.pow(2).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("codebook sum:", round(model[1].embed.sum().item(), 4))
    print("grad sum:", round(model[0].weight.grad.sum().item(), 4))
