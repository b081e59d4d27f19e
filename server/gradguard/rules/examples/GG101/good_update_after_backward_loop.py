"""A training loop that updates `w` in place with `torch.no_grad()` after each backward()."""
import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.tensor([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
target = torch.tensor([1.0, -1.0])
for _ in range(20):
    loss = ((x @ w - target) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        w.grad.zero_()
print("loss:", round(loss.item(), 4))
