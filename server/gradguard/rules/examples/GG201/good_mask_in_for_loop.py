"""`h = h * mask` on a tanh output inside a `for` loop over layers."""
import torch

x = torch.tensor([[1.0, -1.0]])
weights = [
    torch.tensor([[0.5, 1.0], [-1.0, 0.5]], requires_grad=True),
    torch.tensor([[1.0, 0.0], [0.5, -0.5]], requires_grad=True),
]
mask = torch.tensor([[1.0, 0.0]])
h = x
for w in weights:
    h = torch.tanh(h @ w)
    h = h * mask
h.sum().backward()
print("h:", [round(v, 4) for v in h.flatten().tolist()])
print("first weight grad:", [[round(v, 4) for v in row] for row in weights[0].grad.tolist()])
