"""A running total made as a leaf that requires grad, then `.to(device)`: `total += x` changes a leaf.

`torch.tensor(0.0, requires_grad=True).to(device)` is the leaf itself when the device is already the one asked
for (here, and in any CPU run), so adding each parameter's norm into it in place is an in-place change of a leaf.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Linear(4, 3)
device = net.weight.device
total = torch.tensor(0.0, requires_grad=True).to(device)
for param in net.parameters():
    total += param.abs().sum()  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
total.backward()
print("weight grad:", [round(v, 4) for v in net.weight.grad[0].tolist()])
