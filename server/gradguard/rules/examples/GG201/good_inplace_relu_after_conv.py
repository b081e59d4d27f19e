"""`nn.ReLU(inplace=True)` right after a convolution.

A convolution saves its input and weight, not its output, so the ReLU may overwrite the output.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 2, 3),
    nn.ReLU(inplace=True),
    nn.Conv2d(2, 1, 2),
)
x = torch.randn(1, 1, 5, 5)
out = model(x)
out.sum().backward()
print("out sum:", round(out.sum().item(), 4))
print("first conv bias grad:", [round(v, 4) for v in model[0].bias.grad.tolist()])
