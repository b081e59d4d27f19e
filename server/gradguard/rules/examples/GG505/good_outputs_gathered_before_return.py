"""A Function that returns the tensors it marks dirty through a tuple built before the `return`.

It scales its input in place and counts calls in a buffer it changes in place: both are marked dirty, and both are
returned through a tuple (the buffer marked non-differentiable). gradguard follows the names into the tuple; torch
runs it clean.
"""
import torch


class ScaleCount(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, calls, scale):
        x.mul_(scale)
        calls.add_(1)
        ctx.mark_dirty(x, calls)
        ctx.mark_non_differentiable(calls)
        ctx.scale = scale
        outputs = (x, calls)
        return outputs

    @staticmethod
    def backward(ctx, grad_out, *unused):
        return grad_out * ctx.scale, None, None


w = torch.arange(4.0, requires_grad=True)
calls = torch.zeros(())
y, _ = ScaleCount.apply(w + 0, calls, 3.0)
y.sum().backward()
print("grad:", w.grad.tolist(), "calls:", calls.item())
