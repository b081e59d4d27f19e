"""Seed article: `probs.masked_fill_(mask, 0)` is no safer than `probs[mask] = 0`.

The article recommends `masked_fill_` over assignment through a mask. Both change `probs` in place,
and softmax saved its output, so backward() fails either way. The out-of-place `masked_fill` works.
"""
import torch

scores = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 1.0]], requires_grad=True)
mask = torch.tensor([[False, True, False], [True, False, False]])
probs = torch.softmax(scores, dim=-1)
probs.masked_fill_(mask, 0.0)  # expect GG201
loss = (probs ** 2).sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("scores.grad:", [[round(v, 4) for v in row] for row in scores.grad.tolist()])
