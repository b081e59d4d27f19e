"""A helper clips an array in place; it is given a copy of the tensor's values."""
import numpy as np
import torch


def clip_inplace(arr):
    np.clip(arr, -2.0, 2.0, out=arr)


x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
h = torch.exp(x)
loss = h.sum()
true_grad = torch.exp(x.detach())
values = h.detach().numpy().copy()
clip_inplace(values)
print("clipped for the log:", [round(float(v), 4) for v in values.flatten()])
loss.backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
assert torch.allclose(x.grad, true_grad)
