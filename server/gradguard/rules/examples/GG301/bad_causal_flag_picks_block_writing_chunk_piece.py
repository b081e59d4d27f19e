"""A bool constructor argument picks the block; the causal one rotates a chunk piece in place.

`if causal: ... else: ...` chooses the attention block; the causal one rotates half of the heads of its keys
in place. Nothing in the file sets `causal`: the module is built from a config
through a registry, so either block may run, and with `causal=True` the write lands in a piece of `chunk`.

`k` is a view of one output of `self.to_kv(x).chunk(2, -1)`, and torch forbids changing such a view in place.
"""
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
        half = (slice(None), slice(k.shape[1] // 2, None))
        k[half] = rotate_left(k[half], 1, dim=2)  # torch raises: Output 0 of Slice is a view and is being modified inplace
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
        return self.mix(q, k)  # expect GG301


def build(cfg):
    cfg = dict(cfg)
    return MODELS[cfg.pop("type")](**cfg)


torch.manual_seed(0)
model = build(dict(type="SelfAttention", dim=8, causal=True))
out = model(torch.randn(2, 4, 8))
out.sum().backward()
