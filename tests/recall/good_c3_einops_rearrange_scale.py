"""Category 3: einops rearrange of chunked q/k/v through map(); q is scaled with *=."""
import torch
from einops import rearrange
from torch import nn


class LinearAttention(nn.Module):
    def __init__(self, dim, heads=2, dim_head=4):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_qkv = nn.Conv1d(dim, inner * 3, 1, bias=False)
        self.to_out = nn.Conv1d(inner, dim, 1)

    def forward(self, x):
        qkv = self.to_qkv(x).chunk(3, dim=1)
        q, k, v = map(lambda t: rearrange(t, "b (h d) n -> b h d n", h=self.heads), qkv)
        q = q * self.scale
        k = k.softmax(dim=-1)
        context = torch.einsum("bhdn,bhen->bhde", k, v)
        out = torch.einsum("bhde,bhdn->bhen", context, q)
        return self.to_out(rearrange(out, "b h e n -> b (h e) n"))


if __name__ == "__main__":
    la = LinearAttention(6)
    la(torch.randn(2, 6, 10)).sum().backward()
