"""An `nn.Linear` subclass that replaces its weight with a frozen one keeps no input: `x += 1` is safe.

`self.weight = nn.Parameter(torch.eye(dim), requires_grad=False)` in its `__init__`: nn.Linear's forward, which
the instance inherits, uses that weight, and a linear layer saves its input only for its weight's gradient.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Fixed(nn.Linear):
    def __init__(self, dim):
        super().__init__(dim, dim, bias=False)
        self.weight = nn.Parameter(torch.eye(dim), requires_grad=False)


class Net(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.pre = nn.Linear(dim, dim)
        self.proj = Fixed(dim)

    def forward(self, x):
        x = self.pre(x)
        y = self.proj(x)
        x += 1
        return x + y


model = Net(5)
out = model(torch.randn(3, 5))
out.sum().backward()
print("pre.bias.grad:", [round(v, 4) for v in model.pre.bias.grad.tolist()])
