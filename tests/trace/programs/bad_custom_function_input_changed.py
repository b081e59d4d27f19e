import torch


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t * t

    @staticmethod
    def backward(ctx, grad):
        (t,) = ctx.saved_tensors
        return 2 * t * grad


x = torch.tensor([0.5, 1.0], requires_grad=True)
a = x * 1
y = torch.sigmoid(Square.apply(a))
a.add_(1)  # expect GG201
y.sum().backward()
