"""`q, k, v = map(split_heads, (q, *kv))` with `kv = h.chunk(2, dim=-1)`, then `q.mul_(0.5)`.

`q` is a view of its own projection's output, which no backward needs: changing it in place is allowed.
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
q.mul_(0.5)
out = (q * k).sum(-1, keepdim=True) * v
out.sum().backward()
print("out:", [[[round(e, 4) for e in row] for row in m] for m in out.tolist()])
print("to_kv.grad:", [[round(e, 4) for e in row] for row in to_kv.grad.tolist()])
