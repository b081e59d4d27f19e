"""The box sizes square-rooted in place and written back: `sqrt_` saves its result, the slice itself.

`b[..., 2:].sqrt_()` changes the slice and keeps it for backward (the gradient of sqrt needs its output); the write
`b[..., 2:] = ...` then bumps the version of that saved slice again. A clone of `b` before the statement would be
read, saved and written alike. The fix is the out-of-place `sqrt`, whose result the statement writes anyway
(a YOLO loss, where the developers rewrote the loss on separate slices).
"""
import torch

torch.manual_seed(0)
w = torch.rand(4, 4, requires_grad=True)
boxes = w * 2
target = torch.rand(4, 4)
boxes[..., 2:] = boxes[..., 2:].sqrt_()  # expect GG201
loss = ((boxes - target) ** 2).sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("w grad sum:", round(w.grad.sum().item(), 4))
