"""`nn.Dropout(0.0, inplace=True)` after a softmax: at rate 0 it leaves the saved output untouched.

The attention keeps its probabilities for backward; a dropout of rate 0 returns its input as it is, in place or
not, so nothing changes what the softmax saved.
"""
import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qk = nn.Linear(dim, dim * 2)
        self.attn_drop = nn.Dropout(0.0, inplace=True)

    def forward(self, x):
        q, k = self.qk(x).chunk(2, dim=-1)
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        attn = self.attn_drop(attn)
        return attn @ x


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 3, 8, requires_grad=True)
    Attention(8).train()(x).sum().backward()
    print("x.grad:", round(x.grad.sum().item(), 4))
