"""`self.act = getattr(nn, act_name)()` builds `nn.Tanh`; `forward` clamps a copy: `h = h.clamp(...)`.

`nn.Tanh` keeps its output for backward; the out-of-place clamp leaves it alone.
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
        h = h.clamp(-0.9, 0.9)
        return self.fc2(h)


torch.manual_seed(0)
mlp = MLP(4)
mlp(torch.randn(2, 4)).sum().backward()
print("fc1.bias.grad:", [round(v, 4) for v in mlp.fc1.bias.grad.tolist()])
