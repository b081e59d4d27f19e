"""`mask *= valid` where `mask` is `.float()` of an expanded uint8 mask: a copy of its own.

`.float()` of a uint8 tensor is a new float tensor with memory of its own (the expanded layout is not kept), so
changing it in place writes each element once.
"""
import torch

torch.manual_seed(0)
keep = torch.tensor([[1, 1, 0], [1, 0, 0]], dtype=torch.uint8)
boxes = torch.randn(2, 3, 4)
pred = torch.randn(2, 3, 4, requires_grad=True)
mask = keep.unsqueeze(2).expand_as(boxes).float()
valid = (~torch.isnan(boxes)).float()
mask *= valid
loss = (torch.abs(pred - boxes) * mask).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
