"""Category 2: blocks built in a loop with an activation passed as a class; the trunk adds in place."""
import torch
from torch import nn


class DenseAct(nn.Module):
    def __init__(self, dim, act_layer):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = act_layer()

    def forward(self, x):
        return self.act(self.fc(x))


class Trunk(nn.Module):
    def __init__(self, dim=8, depth=3, act_layer=nn.Sigmoid):
        super().__init__()
        self.blocks = nn.ModuleList([DenseAct(dim, act_layer) for _ in range(depth)])

    def forward(self, x):
        for blk in self.blocks:
            y = blk(x)
            y = y + x
            x = y
        return x


if __name__ == "__main__":
    trunk = Trunk()
    trunk(torch.randn(2, 8)).sum().backward()
