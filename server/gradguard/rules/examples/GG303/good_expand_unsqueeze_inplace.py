"""`mask.unsqueeze_(-1)` on `channels.expand(4, 3)`: an in-place change of sizes and strides only.

`unsqueeze_` writes no element, so the shared memory of the expanded rows is never written twice; torch allows it
(and `.contiguous()` then makes the real 4-D mask).
"""
import torch

channels = torch.ones(3)
channels[1] = 0
mask = channels.expand(4, 3)
mask.unsqueeze_(-1)
mask.unsqueeze_(-1)
mask = mask.expand(4, 3, 2, 2).contiguous()
print("mask:", mask.shape, mask.sum().item())
