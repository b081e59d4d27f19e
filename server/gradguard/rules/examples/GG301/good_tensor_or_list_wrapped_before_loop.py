"""A helper given a tensor or a list of tensors wraps a lone tensor in a tuple before its loop.

`x` is a tensor in the first step and a list in the second. `if isinstance(t, torch.Tensor): t = (t,)`: where the
test fails `t` is no tensor (the list), and where it holds `t` becomes a tuple; either way the loop iterates
tensors, never the rows of one (views from `unbind`, which torch forbids changing in place)."""
import torch


def scale_all(inputs, factor):  # one tensor, or several
    if isinstance(inputs, torch.Tensor):
        inputs = (inputs,)
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
