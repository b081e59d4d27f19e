"""`Fn.apply(*args)` of a custom autograd.Function: its output requires grad when an input does.

The wrapper packs its inputs into a tuple and spreads it into `apply`, as extension wrappers often do; the output
gets the Function's backward, so backward() on it works.
"""
import torch
from torch.autograd import Function


class _Interp(Function):
    @staticmethod
    def forward(ctx, index, coords, attrs):
        ctx.save_for_backward(coords, attrs)
        return coords * attrs[index]

    @staticmethod
    def backward(ctx, grad):
        coords, attrs = ctx.saved_tensors
        return None, grad * attrs, grad * coords


def interpolate(index, coords, attrs):
    args = (index, coords, attrs)
    return _Interp.apply(*args)


if __name__ == "__main__":
    torch.manual_seed(0)
    coords = torch.randn(4, requires_grad=True)
    attrs = torch.randn(4, requires_grad=True)
    out = interpolate(torch.arange(4), coords, attrs)
    out.backward(gradient=torch.ones(4))
    print("coords.grad:", [round(v, 4) for v in coords.grad.tolist()])
