"""A helper that wraps only a list, then loops: given a lone tensor, it changes its rows.

`if isinstance(t, list): t = tuple(t)` given a tensor: the branch does not run, so the loop iterates the tensor,
whose rows are views from `unbind`; torch forbids changing them in place."""
import torch


def scale_all(inputs, factor):  # one tensor, or several
    if isinstance(inputs, list):
        inputs = tuple(inputs)
    for tensor in inputs:
        tensor.mul_(factor)  # expect GG301; torch raises: is a view and is being modified inplace
    return inputs


torch.manual_seed(0)
w = torch.rand(2, 3, requires_grad=True)
x = w * 1.0
y = scale_all(x, 2.0)
y.sum().backward()
print(y.shape, w.grad)
