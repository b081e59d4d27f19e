"""`a.mul_(2)` where `a, b = h.unbind(0)`.

`unbind` returns one view per row. Autograd cannot rewrite the graph for an in-place change of one of
several views of a tensor that requires grad, so torch raises at once.
"""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = x * 2
a, b = h.unbind(0)
a.mul_(2)  # expect GG301; torch raises: This view is the output of a function that returns multiple views
loss = (a * b).sum()
loss.backward()
print("loss:", loss.item())
print("x.grad:", x.grad.tolist())
