"""`q` is masked only when the caller passes `mask`; without one it stays a `chunk` view.

`exists(mask)` is `mask is not None`: a call without a mask keeps `q` one of the views `chunk` returned, and
`q *= self.scale` raises there, whatever happens when a mask is given.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


def exists(val):
    return val is not None


class Attention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.scale = dim ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)

    def forward(self, x, mask=None):
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        if exists(mask):
            q = q * mask[..., None]
        q *= self.scale  # expect GG301; torch raises: This view is the output of a function that returns multiple views
        return (q @ k.transpose(-1, -2)).softmax(dim=-1) @ v


model = Attention(4)
out = model(torch.randn(3, 4))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
