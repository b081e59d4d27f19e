"""A manual SGD update under `torch.no_grad()` while a second loss still waits for backward().

`w * x` saved `w` (it is the gradient of `x`). The no_grad update changes `w` in place before
`loss2.backward()` needs it.
"""
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0], requires_grad=True)
loss1 = (w * x).sum()
loss1.backward()
loss2 = (w * x * 2).sum()
with torch.no_grad():
    w -= 0.1 * w.grad  # expect GG201
loss2.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("w:", [round(v, 4) for v in w.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
