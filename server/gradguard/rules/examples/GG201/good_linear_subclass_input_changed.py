"""An `nn.Linear` subclass keeps its input for its weight's gradient; `x = x + 1` leaves it alone.

`class Projection(nn.Linear)` inherits nn.Linear's forward (its `__init__` only initialises the weight), which is
the forward its instance runs.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Projection(nn.Linear):
    def __init__(self, dim):
        super().__init__(dim, dim)
        nn.init.orthogonal_(self.weight)


class Net(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.pre = nn.Linear(dim, dim)
        self.proj = Projection(dim)

    def forward(self, x):
        x = self.pre(x)
        y = self.proj(x)
        x = x + 1
        return x + y


model = Net(5)
out = model(torch.randn(3, 5))
out.sum().backward()
print("proj.bias.grad:", [round(v, 4) for v in model.proj.bias.grad.tolist()])
