"""`probs = probs.masked_fill(mask, 0.0)`: the out-of-place form."""
import torch

scores = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 1.0]], requires_grad=True)
mask = torch.tensor([[False, True, False], [True, False, False]])
probs = torch.softmax(scores, dim=-1)
probs = probs.masked_fill(mask, 0.0)
loss = (probs ** 2).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("scores.grad:", [[round(v, 4) for v in row] for row in scores.grad.tolist()])
