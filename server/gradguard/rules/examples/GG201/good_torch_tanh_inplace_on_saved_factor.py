"""`h = torch.tanh(h)`: the next stage gets a new tensor."""
import torch

x = torch.tensor([[1.0, 2.0]])
w1 = torch.tensor([[0.5, -1.0], [1.0, 0.5]], requires_grad=True)
w2 = torch.tensor([[2.0, 1.0]], requires_grad=True)
h = x @ w1
score = (h * w2).sum()
h = torch.tanh(h)
next_score = h.sum()
(score + next_score).backward()
print("scores:", round(score.item(), 4), round(next_score.item(), 4))
print("w2.grad:", [[round(v, 4) for v in row] for row in w2.grad.tolist()])
