"""A VQ codebook kept in a buffer, read through `self.embed.clone()` before its EMA update in forward.

The ops save the copy, which the update does not touch; the buffer still gets the new codebook.
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
        embed = self.embed.clone()
        probs = F.softmax(x @ embed.t(), dim=-1)
        quant = probs @ embed
        if self.training:
            with torch.no_grad():
                new = (probs.t() @ x) / (probs.sum(0).unsqueeze(1) + 1e-5)
                self.embed.mul_(self.decay).add_(new, alpha=1 - self.decay)
        return quant


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), SoftQuantizer(4))
    out = model(torch.randn(5, 4))
    out.pow(2).sum().backward()
    print("codebook sum:", round(model[1].embed.sum().item(), 4))
    print("grad sum:", round(model[0].weight.grad.sum().item(), 4))
