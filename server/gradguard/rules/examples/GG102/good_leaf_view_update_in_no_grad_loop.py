"""Updating rows of a parameter one by one inside a `torch.no_grad()` loop (a max-norm constraint)."""
import torch

w = torch.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]], requires_grad=True)
with torch.no_grad():
    for i in range(w.shape[0]):
        norm = w[i].norm()
        if norm > 1.0:
            w[i] /= norm
loss = w.sum()
loss.backward()
print("w:", [[round(v, 4) for v in row] for row in w.tolist()])
print("w.grad:", w.grad.tolist())
