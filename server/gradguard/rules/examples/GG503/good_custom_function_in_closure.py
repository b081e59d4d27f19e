"""A custom Function applied in a nested helper to a tensor of the outer scope: its output has grad."""
import torch


class Double(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 2


def bench():
    x = torch.randn(3, requires_grad=True)

    def run(times=2):
        for _ in range(times):
            out = Double.apply(x)
            out.sum().backward()

    run()
    print("grad:", x.grad.tolist() == [4.0, 4.0, 4.0])


if __name__ == "__main__":
    torch.manual_seed(0)
    bench()
