"""A module that writes `torch.mul(x, self.scale, out=self.buffer)` in `forward`.

Preallocating the result is a habit from inference code; with a parameter among the arguments and
grad mode on, torch raises.
"""
import torch
import torch.nn as nn


class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor([0.5, 2.0, -1.0]))
        self.buffer = torch.empty(3)

    def forward(self, x):
        torch.mul(x, self.scale, out=self.buffer)  # expect GG103; torch raises: functions with out=... arguments don't support automatic differentiation
        return self.buffer.sum()


model = Scale()
y = model(torch.tensor([1.0, 2.0, 3.0]))
y.backward()
print("y:", y.item())
print("scale.grad:", model.scale.grad.tolist())
