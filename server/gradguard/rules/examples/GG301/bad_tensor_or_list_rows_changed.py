"""A helper given a tensor or a list of tensors changes a lone tensor's rows in place.

`x` is a tensor in the first step and a list in the second. Where `isinstance(t, torch.Tensor)` holds, the helper
loops over the tensor itself: its rows are views from `unbind`, which torch forbids changing in place."""
import torch


def scale_all(inputs, factor):  # one tensor, or several
    if isinstance(inputs, torch.Tensor):
        for row in inputs:
            row.mul_(factor)  # expect GG301; torch raises: is a view and is being modified inplace
        return inputs
    for tensor in inputs:
        tensor.mul_(factor)
    return inputs


torch.manual_seed(0)
w = torch.rand(2, 3, requires_grad=True)
for step in range(2):
    x = w * 1.0
    if step == 1:
        x = [w * 1.0, w * 2.0]
    y = scale_all(x, 2.0)
    sum(t.sum() for t in y).backward()
print(w.grad)
