"""A `for` loop that calls backward() on one loss several times to accumulate its gradient."""
import torch

w = torch.tensor([0.5, -1.0], requires_grad=True)
x = torch.tensor([2.0, 1.0])
loss = ((w * x).sum() - 1.0) ** 2
for _ in range(3):
    loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
print("w.grad:", w.grad.tolist())
