"""The test said the tensor did not require grad, but the branch replaced it by an op's output first.

`pos` passed `pos.requires_grad is False`; then `pos = pos * scale` (scale requires grad) made a tensor with a
grad_fn, and setting its flag is refused: the test no longer speaks of the tensor the name holds.
"""
import torch

torch.manual_seed(0)
scale = torch.ones(3, requires_grad=True)
pos = torch.randn(4, 3)
if pos.requires_grad is False:
    pos = pos * scale
    pos.requires_grad = True  # expect GG104; torch raises: you can only change requires_grad flags of leaf variables
print(pos.sum())
