"""A module whose `forward` scales its sigmoid gate in place with `a.mul_(self.scale)`."""
import torch
import torch.nn as nn


class Gate(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.scale = 2.0

    def forward(self, x):
        a = torch.sigmoid(self.fc(x))
        a.mul_(self.scale)  # expect GG201
        return a * x


torch.manual_seed(0)
gate = Gate()
x = torch.tensor([[1.0, 2.0, -1.0]])
y = gate(x)
y.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("y:", [round(v, 4) for v in y.flatten().tolist()])
print("fc.bias.grad:", [round(v, 4) for v in gate.fc.bias.grad.tolist()])
