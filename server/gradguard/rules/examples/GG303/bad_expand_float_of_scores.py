"""`weight *= valid` where `weight` is `.float()` of an expanded float32 sigmoid: the expand itself.

`.float()` of a float32 tensor is that tensor itself: `weight` is still the expanded view, whose rows share memory,
so torch refuses the in-place multiply.
"""
import torch

torch.manual_seed(0)
logits = torch.randn(2, 3, requires_grad=True)
boxes = torch.randn(2, 3, 4)
scores = torch.sigmoid(logits)
weight = scores.unsqueeze(2).expand_as(boxes).float()
valid = (~torch.isnan(boxes)).float()
weight *= valid  # expect GG303; torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("weight:", weight.sum().item())
