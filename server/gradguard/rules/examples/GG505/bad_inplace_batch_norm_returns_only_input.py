"""An in-place batch norm Function that marks the running statistics dirty but returns only `x`.

Forward normalises `x` and updates the running statistics in place, marks all three dirty, and returns only `x`.
torch requires every tensor marked dirty to be an output, and `apply` raises as forward returns (in-place
activated batch norm code written for torch < 1.5 did this).
"""
import torch


class InPlaceBatchNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, running_mean, running_var, momentum=0.1, eps=1e-5):
        mean, var = x.mean(0), x.var(0)
        running_mean.mul_(1 - momentum).add_(momentum * mean)
        running_var.mul_(1 - momentum).add_(momentum * var)
        x.sub_(mean).div_((var + eps).sqrt())
        ctx.mark_dirty(x, running_mean, running_var)
        ctx.save_for_backward(var)
        ctx.eps = eps
        return x  # expect GG505

    @staticmethod
    def backward(ctx, grad_out, *unused):
        (var,) = ctx.saved_tensors
        return grad_out / (var + ctx.eps).sqrt(), None, None, None, None


torch.manual_seed(0)
w = torch.randn(4, 3, requires_grad=True)
running_mean, running_var = torch.zeros(3), torch.ones(3)
h = w * 2
y = InPlaceBatchNorm.apply(h, running_mean, running_var)  # torch raises: Some elements marked as dirty
y.sum().backward()
print("grad:", round(w.grad.sum().item(), 4), "running mean:", [round(v, 4) for v in running_mean.tolist()])
