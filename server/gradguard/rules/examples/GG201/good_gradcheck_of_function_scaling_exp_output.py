"""A function checked with gradcheck that divides the output of exp out of place: `y = y / 2.0`.

`torch.exp` keeps its output for backward; `y = y / 2.0` makes a new tensor and leaves the kept one as it was, so
the gradient that `gradcheck(scaled_exp, (x,))` computes runs.
"""
import torch
from torch.autograd import gradcheck


def scaled_exp(x):
    y = torch.exp(x)
    y = y / 2.0
    return y


torch.manual_seed(0)
x = torch.randn(4, dtype=torch.double, requires_grad=True)
print("gradcheck:", gradcheck(scaled_exp, (x,)))
