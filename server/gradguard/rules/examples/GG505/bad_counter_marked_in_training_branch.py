"""A Function whose training branch marks a counter dirty, and one `return` after the `if` without it.

It clamps its input in place and, in training, also counts the clamped elements into a buffer it changes in place:
that branch marks both dirty, and the one `return` after the `if` gives back only the input. In training, `apply`
raises as forward returns.
"""
import torch


class ClampCount(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, hits, training):
        mask = x.abs() > 1.0
        x.clamp_(-1.0, 1.0)
        if training:
            hits.add_(mask.sum())
            ctx.mark_dirty(x, hits)
        else:
            ctx.mark_dirty(x)
        ctx.save_for_backward(mask)
        return x  # expect GG505

    @staticmethod
    def backward(ctx, grad_out, *unused):
        (mask,) = ctx.saved_tensors
        return grad_out.masked_fill(mask, 0.0), None, None


torch.manual_seed(0)
w = torch.randn(5, requires_grad=True)
hits = torch.zeros(())
y = ClampCount.apply(w * 3, hits, True)  # torch raises: Some elements marked as dirty
y.sum().backward()
print("grad:", w.grad.tolist(), "hits:", hits.item())
