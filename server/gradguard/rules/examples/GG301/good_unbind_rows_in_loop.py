"""`row = row.clamp(-1, 1)` for each row of `h.unbind(0)` in a `for` loop."""
import torch

x = torch.tensor([[0.5, -2.0], [3.0, 0.25]], requires_grad=True)
h = x * 2
clipped = []
for row in h.unbind(0):
    row = row.clamp(-1.0, 1.0)
    clipped.append(row)
loss = torch.stack(clipped).sum()
loss.backward()
print("loss:", loss.item())
print("x.grad:", x.grad.tolist())
