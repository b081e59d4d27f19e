"""Rotary pairs joined to the query's first token with `torch.cat`: `q` stays as it was.

The same split into pairs as the bad twin (a view of `q[:, :, 1:]`, which the product with the learned frequencies
saves), but `torch.cat` builds the rotated query instead of writing it back into `q`: nothing saved is changed.
"""
import torch
import torch.nn as nn


def rotate(t, freqs):
    pairs = torch.view_as_complex(t.float().reshape(*t.shape[:-1], -1, 2))
    return torch.view_as_real(pairs * freqs).flatten(3)


class RotaryAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.freqs = nn.Parameter(torch.randn(dim // heads // 2))

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        q = torch.cat((q[:, :, :1], rotate(q[:, :, 1:], self.freqs)), dim=2)
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        return attn @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RotaryAttention(8, 2)
    model(torch.randn(2, 5, 8)).sum().backward()
    print("freqs grad norm:", round(model.freqs.grad.norm().item(), 4))
