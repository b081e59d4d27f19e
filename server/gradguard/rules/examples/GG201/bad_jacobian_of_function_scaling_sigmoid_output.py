"""The Jacobian of a function that scales the output of sigmoid in place: `p.mul_(2.0)`.

`torch.sigmoid` keeps its output for backward. `jacobian(doubled_gate, x)` calls the function with `x` made a tensor
that requires grad (whether `x` did or not) and grad mode on, then computes the gradient row by row:
`p.mul_(2.0)` changed what sigmoid kept, and that gradient fails.
"""
import torch
from torch.autograd.functional import jacobian


def doubled_gate(x):
    p = torch.sigmoid(x)
    p.mul_(2.0)  # expect GG201
    return p


torch.manual_seed(0)
x = torch.randn(3)
print(jacobian(doubled_gate, x))  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
