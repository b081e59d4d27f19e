"""The Jacobian of a function that scales the output of sigmoid out of place: `p = p * 2.0`.

`torch.sigmoid` keeps its output for backward; `p = p * 2.0` makes a new tensor, so the gradient that
`jacobian(doubled_gate, x)` computes row by row finds what sigmoid kept unchanged.
"""
import torch
from torch.autograd.functional import jacobian


def doubled_gate(x):
    p = torch.sigmoid(x)
    p = p * 2.0
    return p


torch.manual_seed(0)
x = torch.randn(3)
print(jacobian(doubled_gate, x))
