"""The same attention with `q = q * self.scale`: a new tensor, the `chunk` views are left alone."""
import torch
import torch.nn as nn
from einops import rearrange

torch.manual_seed(0)


class Attention(nn.Module):
    def __init__(self, dim, heads=2):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)

    def forward(self, x):
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = map(lambda t: rearrange(t, "b n (h d) -> (b h) n d", h=self.heads), (q, k, v))
        q = q * self.scale
        attn = (q @ k.transpose(-1, -2)).softmax(dim=-1)
        return rearrange(attn @ v, "(b h) n d -> b n (h d)", h=self.heads)


model = Attention(4)
out = model(torch.randn(1, 3, 4))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("to_qkv.weight.grad[0]:", [round(v, 4) for v in model.to_qkv.weight.grad[0].tolist()])
