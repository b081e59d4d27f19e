"""The same blocks, the causal one rotating its keys out of place.

`torch.cat` of the two halves: a new tensor, the piece of `chunk` stays as it was, whichever block the
configuration picks."""
import torch
import torch.nn as nn

MODELS = {}


def register(cls):
    MODELS[cls.__name__] = cls
    return cls


def rotate_left(t, n, dim):
    return torch.cat((t.narrow(dim, n, t.shape[dim] - n), t.narrow(dim, 0, n)), dim=dim)


class CausalMix(nn.Module):
    def forward(self, q, k):
        h = k.shape[1] // 2
        k = torch.cat((k[:, :h], rotate_left(k[:, h:], 1, dim=2)), dim=1)
        return q * k


class PlainMix(nn.Module):
    def forward(self, q, k):
        return q * k


@register
class SelfAttention(nn.Module):
    def __init__(self, dim, heads=2, causal=False):
        super().__init__()
        self.heads = heads
        self.to_kv = nn.Linear(dim, dim * 2)
        if causal:
            mix = CausalMix()
        else:
            mix = PlainMix()
        self.mix = mix

    def forward(self, x):
        b, t, d = x.shape
        q, k = self.to_kv(x).chunk(2, dim=-1)
        q, k = (z.view(b, t, self.heads, -1).transpose(1, 2) for z in (q, k))
        return self.mix(q, k)


def build(cfg):
    cfg = dict(cfg)
    return MODELS[cfg.pop("type")](**cfg)


torch.manual_seed(0)
model = build(dict(type="SelfAttention", dim=8, causal=True))
out = model(torch.randn(2, 4, 8))
out.sum().backward()
print("to_kv.weight.grad:", [round(v, 4) for v in model.to_kv.weight.grad[0, :4].tolist()])
