"""`peak = max(scores)` of a 1-D tensor: `peak` is one of the rows that unbind returned.

Python iterates the tensor, compares its rows and returns one. torch forbids changing in place a view that a
multi-output view function returned, so `peak -= 1` raises at once.
"""
import torch

torch.manual_seed(0)
x = torch.randn(5, requires_grad=True)
scores = x * 2
peak = max(scores)
peak -= 1  # expect GG301; torch raises: is a view and is being modified inplace
peak.backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
