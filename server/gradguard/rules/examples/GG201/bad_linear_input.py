"""`h[0, 0] = 0.0` after `out = layer(h)`: Linear saved its input, even one without grad.

The weight's gradient is computed from the layer's input, so the input is saved whether or not it
requires grad itself; writing into it breaks the backward pass of the layer.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
x = torch.tensor([[1.0, 2.0, 3.0]])
h = x * 2
out = layer(h)
h[0, 0] = 0.0  # expect GG201
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("weight.grad:", layer.weight.grad.tolist())
