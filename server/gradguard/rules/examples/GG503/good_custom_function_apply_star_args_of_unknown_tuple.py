"""`Fn.apply(*args)` in a wrapper a test calls as `wrapper(*inputs)`: the output still has a grad_fn.

The test packs its tensors into a tuple and spreads it into the wrapper, which packs them again for `apply`; the
tensors are unknown to a reader of the wrapper alone, so the output may require grad, as it does here.
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
    args = (index.view(-1), coords.view(-1), attrs)
    return _Interp.apply(*args)


def compare_grads(*inputs):
    out = interpolate(*inputs)
    out.backward(gradient=torch.ones_like(out))
    return inputs[1].grad


if __name__ == "__main__":
    torch.manual_seed(0)
    coords = torch.randn(2, 2, requires_grad=True)
    attrs = torch.randn(4, requires_grad=True)
    grad = compare_grads(torch.arange(4).view(2, 2), coords, attrs)
    print("coords.grad:", [[round(v, 4) for v in row] for row in grad.tolist()])
