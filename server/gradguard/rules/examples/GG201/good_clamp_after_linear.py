"""`h.clamp_(min=0)` on a Linear output: an in-place ReLU spelled as clamp."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
x = torch.tensor([[1.0, 2.0, -1.0]], requires_grad=True)
h = layer(x)
h.clamp_(min=0)
(h * h).sum().backward()
print("h:", [round(v, 4) for v in h.flatten().tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.flatten().tolist()])
