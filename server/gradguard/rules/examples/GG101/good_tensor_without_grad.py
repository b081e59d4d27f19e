"""In-place ops on tensors that never required grad.

Without `requires_grad=True` there is nothing for autograd to protect.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0])
x.add_(1)
x *= 2
x[0] = -1.0
x[x > 7] = 0.0
torch.relu_(x)
print("x:", x.tolist())
