"""A residual added out of place after a dropout of rate 0: the ReLU's saved output stays as it was.

`out = out + x` makes a new tensor, whatever the dropout returned, so the block trains with `drop=0.0` as with
any other rate.
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
        out = out + x
        return out


torch.manual_seed(0)
block = ResidualBlock(4)
x = torch.randn(2, 4)
block(x).sum().backward()
print("fc.bias.grad:", [round(v, 4) for v in block.fc.bias.grad.tolist()])
