"""A custom autograd Function applied to starred tensors, none requiring grad, then differentiated.

`Fn.apply(opts, *tensors)` gives an output with a grad_fn only when one of its tensor inputs requires grad; here
`params` does not (`requires_grad_` was forgotten), so differentiating the output raises.
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
    value = energy(params, 1.0)
    grad = torch.autograd.grad(value, params)[0]  # expect GG503; torch raises: element 0 of tensors does not require grad
    print("grad:", grad.tolist())
