"""A branch on a tensor's rank that the sizes decide: the in-place change in it never runs.

`x` comes from `torch.rand(2, 3, 4, 4)`: four dims. `x.dim() == 2` (and `x.ndim == 2`, `len(x.shape) == 2`) is
False, so the leaf is never changed in place (`unsqueeze_`), which torch would refuse for a leaf that requires
grad."""
import torch

torch.manual_seed(0)
x = torch.rand(2, 3, 4, 4, requires_grad=True)
if x.dim() == 2:
    x.unsqueeze_(0)
if x.ndim == 2:
    x.unsqueeze_(0)
if len(x.shape) == 2:
    x.unsqueeze_(0)
loss = (x * 2).sum()
loss.backward()
print(x.shape, x.grad.shape)
