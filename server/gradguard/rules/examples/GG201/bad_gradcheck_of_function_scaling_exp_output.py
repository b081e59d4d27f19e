"""A function checked with gradcheck that divides the output of exp in place: `y /= 2.0`.

`torch.exp` keeps its output for backward (the gradient of exp is its output). `gradcheck(scaled_exp, (x,))` calls
the function with `x`, which requires grad, then computes its gradient: `y /= 2.0` changed what exp kept, and that
gradient fails.
"""
import torch
from torch.autograd import gradcheck


def scaled_exp(x):
    y = torch.exp(x)
    y /= 2.0  # expect GG201
    return y


torch.manual_seed(0)
x = torch.randn(4, dtype=torch.double, requires_grad=True)
print("gradcheck:", gradcheck(scaled_exp, (x,)))  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
