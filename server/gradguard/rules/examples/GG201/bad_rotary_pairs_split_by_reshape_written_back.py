"""Rotary pairs written back into the query's slice: a `reshape` that only splits a dim is a view.

`q[:, :, 1:]` of a permuted qkv projection is not contiguous, and `reshape` copies such a tensor when it has to merge
dims; splitting the last dim into pairs (`t.reshape(*t.shape[:-1], -1, 2)`) never needs a copy, so torch returns a
view, `view_as_complex` another one, and the product with the learned frequencies saves it (`.float()` of a float32
tensor is the tensor itself). Writing the rotated pairs back into `q[:, :, 1:]` changes that saved memory.
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
        q[:, :, 1:] = rotate(q[:, :, 1:], self.freqs)  # expect GG201
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        return attn @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RotaryAttention(8, 2)
    model(torch.randn(2, 5, 8)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("freqs grad norm:", round(model.freqs.grad.norm().item(), 4))
