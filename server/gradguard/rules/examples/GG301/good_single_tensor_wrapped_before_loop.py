"""A helper that takes one tensor or a tuple of them wraps a lone tensor in a tuple before its loop.

`if isinstance(t, torch.Tensor): t = (t,)` given a tensor: the branch runs, so the loop iterates the tuple and
scales the tensor itself in place, not the rows `for row in tensor` would give (views from `unbind`, which torch
forbids changing in place)."""
import torch


def scale_all(inputs, factor):  # one tensor, or several
    if isinstance(inputs, torch.Tensor):
        inputs = (inputs,)
    for tensor in inputs:
        tensor.mul_(factor)
    return inputs[0] if len(inputs) == 1 else inputs


torch.manual_seed(0)
w = torch.rand(2, 3, requires_grad=True)
x = w * 1.0
y = scale_all(x, 2.0)
y.sum().backward()
print(y.shape, w.grad)
