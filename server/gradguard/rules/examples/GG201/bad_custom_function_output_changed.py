"""A custom autograd.Function saves its output for backward; the caller adds into it in place.

`apply` returns the very tensor `forward` returned, with a grad_fn: the one `ctx.save_for_backward(y)` kept. The
`+=` bumps its version, and the Function's backward finds it changed when it reads `ctx.saved_tensors`.
"""
import torch
import torch.nn as nn


class ClampGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.clamp(min=0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        return grad * (y > 0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        h = ClampGrad.apply(self.fc(x))
        h += 1  # expect GG201
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Net()
    model(torch.randn(2, 4)).sum().backward()
    print("grad norm:", round(model.fc.weight.grad.norm().item(), 4))
