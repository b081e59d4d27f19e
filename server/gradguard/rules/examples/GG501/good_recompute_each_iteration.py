"""A training loop that computes a fresh loss in every iteration before backward()."""
import torch

w = torch.tensor([0.5, -1.0], requires_grad=True)
x = torch.tensor([2.0, 1.0])
for _ in range(3):
    loss = ((w * x).sum() - 1.0) ** 2
    loss.backward()
    with torch.no_grad():
        w -= 0.05 * w.grad
        w.grad.zero_()
print("loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
