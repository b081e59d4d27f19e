"""A module that assigns `self.buffer = torch.mul(x, self.scale)` in `forward`."""
import torch
import torch.nn as nn


class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor([0.5, 2.0, -1.0]))
        self.buffer = torch.empty(3)

    def forward(self, x):
        self.buffer = torch.mul(x, self.scale)
        return self.buffer.sum()


model = Scale()
y = model(torch.tensor([1.0, 2.0, 3.0]))
y.backward()
print("y:", y.item())
print("scale.grad:", model.scale.grad.tolist())
