"""A Function whose training branch marks a counter dirty and returns it too.

It clamps its input in place and, in training, also counts the clamped elements into a buffer it changes in place:
that branch marks both dirty and returns both (the count non-differentiable); the other branch marks and returns
the input alone. torch runs it clean.
"""
import torch


class ClampCount(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, hits, training):
        mask = x.abs() > 1.0
        x.clamp_(-1.0, 1.0)
        ctx.save_for_backward(mask)
        if training:
            hits.add_(mask.sum())
            ctx.mark_dirty(x, hits)
            ctx.mark_non_differentiable(hits)
            return x, hits
        ctx.mark_dirty(x)
        return x, None

    @staticmethod
    def backward(ctx, grad_out, *unused):
        (mask,) = ctx.saved_tensors
        return grad_out.masked_fill(mask, 0.0), None, None


torch.manual_seed(0)
w = torch.randn(5, requires_grad=True)
hits = torch.zeros(())
y, _ = ClampCount.apply(w * 3, hits, True)
y.sum().backward()
print("grad:", w.grad.tolist(), "hits:", hits.item())
