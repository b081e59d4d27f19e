"""`self.act = getattr(nn, act_name)()` builds `nn.Tanh`; `forward` clamps its output in place.

The activation is named by a string (`act_name="Tanh"`); `nn.Tanh` keeps its output for backward and the in-place
clamp changes it.
"""
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, dim, act_name="Tanh"):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim)
        self.act = getattr(nn, act_name)()
        self.fc2 = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.act(self.fc1(x))
        h.clamp_(-0.9, 0.9)  # expect GG201
        return self.fc2(h)


torch.manual_seed(0)
mlp = MLP(4)
mlp(torch.randn(2, 4)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("fc1.bias.grad:", [round(v, 4) for v in mlp.fc1.bias.grad.tolist()])
