"""`torch.tanh_(h)` after `h` was used as a factor of a product.

The first score multiplies `h` by `w2`, which keeps `h` for `w2`'s gradient; squashing `h` in place
for the next stage changes it.
"""
import torch

x = torch.tensor([[1.0, 2.0]])
w1 = torch.tensor([[0.5, -1.0], [1.0, 0.5]], requires_grad=True)
w2 = torch.tensor([[2.0, 1.0]], requires_grad=True)
h = x @ w1
score = (h * w2).sum()
torch.tanh_(h)  # expect GG201
next_score = h.sum()
(score + next_score).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("scores:", round(score.item(), 4), round(next_score.item(), 4))
print("w2.grad:", [[round(v, 4) for v in row] for row in w2.grad.tolist()])
