"""`y.add_(1)` inside `torch.inference_mode()` on an exp output that is still needed.

Like `no_grad`, inference mode does not protect tensors an earlier operation saved: the in-place op
on an ordinary tensor still moves its version counter.
"""
import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.exp(x)
with torch.inference_mode():
    y.add_(1)  # expect GG201
y.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", x.grad.tolist())
