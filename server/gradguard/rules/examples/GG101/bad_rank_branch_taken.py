"""A branch on a tensor's rank that the sizes decide: the in-place change in it always runs.

`x` comes from `torch.rand(2, 3, 4, 4)`: four dims. `x.dim() == 4` is True, so the leaf that requires grad is
changed in place (`unsqueeze_`), which torch refuses."""
import torch

torch.manual_seed(0)
x = torch.rand(2, 3, 4, 4, requires_grad=True)
if x.dim() == 4:
    x.unsqueeze_(0)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = (x * 2).sum()
loss.backward()
print(x.shape, x.grad.shape)
