"""Replace `rows[0]` with `rows[0].add(1)` (rows turned into a list first)."""
import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
rows = list(w.unbind(0))
rows[0] = rows[0].add(1)
loss = rows[0].sum() * rows[1].sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
