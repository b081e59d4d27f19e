"""A running total made as a plain zero on the device: `total = total + x` sums out of place.

The total needs no grad of its own: each parameter's norm added to it carries the graph, so `total.backward()`
reaches every parameter.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Linear(4, 3)
device = net.weight.device
total = torch.tensor(0.0).to(device)
for param in net.parameters():
    total = total + param.abs().sum()
total.backward()
print("weight grad:", [round(v, 4) for v in net.weight.grad[0].tolist()])
