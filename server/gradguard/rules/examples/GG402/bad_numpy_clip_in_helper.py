"""A helper clips an array in place with `np.clip(..., out=arr)`; it is given a tensor's memory.

`h = torch.exp(x)` saved its output; the helper receives `h.detach().numpy()`, which is that output.
"""
import numpy as np
import torch


def clip_inplace(arr):
    np.clip(arr, -2.0, 2.0, out=arr)


x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
h = torch.exp(x)
loss = h.sum()
true_grad = torch.exp(x.detach())
values = h.detach().numpy()
clip_inplace(values)  # expect GG402
print("clipped for the log:", [round(float(v), 4) for v in values.flatten()])
loss.backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
assert not torch.allclose(x.grad, true_grad)  # silently wrong
