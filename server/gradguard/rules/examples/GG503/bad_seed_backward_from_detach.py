"""Seed article: backward() on a result computed from `y.detach()`.

The article expects "Trying to backward through the graph a second time". torch says "element 0 of
tensors does not require grad": `w` was built from a detached tensor and has no `grad_fn` at all. (The
article calls `w.backward()` on three elements; torch reports the same message for that.)
"""
import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x * 2
z = y.detach()
w = z + 3
w.sum().backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("x.grad:", x.grad.tolist())
