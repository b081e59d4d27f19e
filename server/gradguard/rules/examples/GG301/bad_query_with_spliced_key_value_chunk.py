"""`q, k, v = map(split_heads, (q, *kv))` with `kv = h.chunk(2, dim=-1)`, then `v.mul_(0.5)`.

The starred pieces of the chunk take their places in the tuple: `v` is a view of the second piece, one of the
views `chunk` returned, and changing it in place raises. `q` comes from its own projection and could be changed.
"""
import torch


def split_heads(t):
    return t.view(t.shape[0], 2, -1)


torch.manual_seed(0)
to_q = torch.randn(3, 4, requires_grad=True)
to_kv = torch.randn(3, 8, requires_grad=True)
x = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
q = x @ to_q
kv = (x @ to_kv).chunk(2, dim=-1)
q, k, v = map(split_heads, (q, *kv))
v.mul_(0.5)  # expect GG301; torch raises: This view is the output of a function that returns multiple views
out = (q * k).sum(-1, keepdim=True) * v
out.sum().backward()
print("out:", [[[round(e, 4) for e in row] for row in m] for m in out.tolist()])
