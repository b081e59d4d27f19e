"""In-place changes of single views (`h[0]`, `h.narrow(...)`) of a tensor that requires grad.

Indexing and `narrow` return one view; autograd rebases it on its base, unlike the several views
returned by `unbind`, `split` and `chunk`.
"""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
h = x * 2
h[0].mul_(2)
h.narrow(0, 1, 2).add_(1)
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
