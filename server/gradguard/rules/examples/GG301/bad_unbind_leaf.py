"""`rows[0].add_(1)` where `rows = w.unbind(0)` and `w` is a parameter.

For a leaf, torch reports the multiple-views problem (checked first), not the view of a leaf.
"""
import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
rows = w.unbind(0)
rows[0].add_(1)  # expect GG301; torch raises: This view is the output of a function that returns multiple views
loss = rows[0].sum() * rows[1].sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
