"""A causal mask built in place, then `scores.masked_fill_(mask, -inf)` before the softmax.

The mask never requires grad. The scores come from a matmul, which saves its inputs, not its output,
so filling them in place before the softmax is fine.
"""
import torch

torch.manual_seed(0)
q = torch.randn(3, 2, requires_grad=True)
k = torch.randn(3, 2, requires_grad=True)
v = torch.randn(3, 2)
mask = torch.ones(3, 3, dtype=torch.bool)
mask.triu_(diagonal=1)
scores = q @ k.T
scores.masked_fill_(mask, float("-inf"))
attn = torch.softmax(scores, dim=-1)
out = attn @ v
out.sum().backward()
print("attn:", [[round(x, 4) for x in row] for row in attn.tolist()])
print("q.grad:", [[round(x, 4) for x in row] for row in q.grad.tolist()])
