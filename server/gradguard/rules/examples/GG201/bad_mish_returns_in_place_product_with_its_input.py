"""Mish with an in-place product: `x.mul_(F.softplus(x).tanh())` changes the input softplus saved.

`softplus` keeps its input for backward, and `mul_` then changes that very tensor (and the product keeps the old
`x` too). A clone of `x` before the statement would be read by softplus and changed by mul_ alike; the fix is the
out-of-place `mul`, whose result the statement returns anyway (ScaledYOLOv4's Mish and Swish, fixed that way).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Mish(nn.Module):
    def forward(self, x):
        return x.mul_(F.softplus(x).tanh())  # expect GG201


if __name__ == "__main__":
    torch.manual_seed(0)
    lin = nn.Linear(3, 3)
    out = Mish()(lin(torch.randn(2, 3)))  # expect GG201
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("bias grad:", [round(v, 4) for v in lin.bias.grad.tolist()])
