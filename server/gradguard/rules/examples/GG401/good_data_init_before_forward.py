"""Setting weights through `.data` before any forward pass."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 1)
layer.weight.data.fill_(0.5)
layer.bias.data.zero_()
out = layer(torch.tensor([[1.0, 3.0]], requires_grad=True))
out.backward()
print("out:", out.item())
print("weight.grad:", layer.weight.grad.tolist())
