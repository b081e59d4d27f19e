"""An `nn.Linear` subclass with a frozen weight keeps no input for backward: a later `x += 1` is safe.

`class Projection(nn.Linear)` inherits nn.Linear's forward; its `__init__` sets `self.weight.requires_grad =
False`, and a linear layer saves its input only for its weight's gradient (the bias's needs none).
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Projection(nn.Linear):
    def __init__(self, dim):
        super().__init__(dim, dim)
        self.weight.requires_grad = False


class Net(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.pre = nn.Linear(dim, dim)
        self.proj = Projection(dim)

    def forward(self, x):
        x = self.pre(x)
        y = self.proj(x)
        x += 1
        return x + y


model = Net(5)
out = model(torch.randn(3, 5))
out.sum().backward()
print("proj.bias.grad:", [round(v, 4) for v in model.proj.bias.grad.tolist()])
