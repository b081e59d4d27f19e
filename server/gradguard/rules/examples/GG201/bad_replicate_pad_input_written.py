"""`F.pad(b, ..., mode="replicate")` keeps `b` for backward; `b[mask] = 1` then changes it in place.

Replicate (and reflect) padding saves its input, unlike the default constant padding: the masked write into the
padded tensor's source bumps its version before backward() runs.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
image = torch.rand(1, 1, 5, 5, requires_grad=True)
boundary = image * 2
padded = F.pad(boundary, (1, 1, 1, 1), mode="replicate")
boundary[boundary > 1] = 1  # expect GG201
padded.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("image.grad:", [round(v, 4) for v in image.grad[0, 0, 0].tolist()])
