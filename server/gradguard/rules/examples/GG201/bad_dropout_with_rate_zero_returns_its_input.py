"""A residual added in place after a dropout of rate 0, which returns its input (ReLU's saved output).

`nn.Dropout(p)` makes a new tensor only when it drops something: with `p=0` (here the block's default,
`drop=0.0`) it returns its input itself, in training mode too, so `out += x` changes the output that ReLU saved
for backward. The same block trained with `drop=0.1` runs: the bug appears the day someone turns dropout off.
"""
import torch
import torch.nn as nn


class ResidualBlock(nn.Module):
    def __init__(self, dim, drop=0.0):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        out = self.act(self.fc(x))
        out = self.drop(out)
        out += x  # expect GG201
        return out


torch.manual_seed(0)
block = ResidualBlock(4)
x = torch.randn(2, 4)
block(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("fc.bias.grad:", [round(v, 4) for v in block.fc.bias.grad.tolist()])
