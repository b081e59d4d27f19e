"""Category 3: timm-style qkv reshape/permute then unbind(0); k is normalised in place."""
import torch
from torch import nn


class Attention(nn.Module):
    def __init__(self, dim, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        k.div_(k.norm(dim=-1, keepdim=True) + 1e-6)  # BUG
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


if __name__ == "__main__":
    m = Attention(8)
    m(torch.randn(2, 3, 8)).sum().backward()
