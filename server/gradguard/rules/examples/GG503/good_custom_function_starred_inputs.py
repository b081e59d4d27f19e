"""A custom autograd Function applied to a tuple of tensors passed starred: `Fn.apply(opts, *tensors)`.

The output of `apply` requires grad when a tensor among its inputs does, whatever its forward returns (here a
detached value computed under grad mode off). `params` requires grad, so differentiating the output works.
"""
import torch


class SumOfSquares(torch.autograd.Function):
    @staticmethod
    def forward(ctx, opts, *tensors):
        ctx.save_for_backward(*tensors)
        return (tensors[0] ** 2).sum().detach() * opts["scale"]

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return None, 2 * x * grad


def energy(params, scale):
    opts = {"scale": scale}
    tensors = (params,)
    return SumOfSquares.apply(opts, *tensors)


if __name__ == "__main__":
    torch.manual_seed(0)
    params = torch.randn(3)
    params.requires_grad_(True)
    value = energy(params, 1.0)
    grad = torch.autograd.grad(value, params)[0]
    print("grad:", [round(v, 4) for v in grad.tolist()])
