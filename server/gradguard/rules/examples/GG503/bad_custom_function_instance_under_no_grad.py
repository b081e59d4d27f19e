"""`Fn().apply(x)` under no_grad, as `Fn.apply(x)` there: its output has no grad to backpropagate."""
import torch
import torch.nn as nn


class Normalize(torch.autograd.Function):
    def __init__(self, eps=1e-12):  # an instance to hold options (torch warns for Function's own __init__)
        self.eps = eps

    @staticmethod
    def forward(ctx, x):
        with torch.no_grad():
            y = nn.functional.normalize(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad / x.norm(dim=1, keepdim=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, z):
        return Normalize().apply(self.lin(z))


def train(steps=2):
    model = Net()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    z, target = torch.randn(3, 4), torch.randn(3, 4)
    for _ in range(steps):
        opt.zero_grad()
        with torch.no_grad():
            out = model(z)
        loss = nn.functional.mse_loss(out, target)
        loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad
        opt.step()
    print("trained:", model.lin.weight.grad is not None)


if __name__ == "__main__":
    torch.manual_seed(0)
    train()
