"""Blocks appended to an nn.ModuleList in a loop; `total = x` on the first pass, then `total += x`.

`self.stages.append(Stage(ch))` in `__init__` builds a stack of one kind of block, each ending in a ReLU that
saves its output. The first iteration keeps the first block's output as the running sum, and every later
`total += x` changes that saved output in place.
"""
import torch
import torch.nn as nn


class Stage(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.conv(x))


class Neck(nn.Module):
    def __init__(self, ch=4, repeat=2):
        super().__init__()
        self.stages = nn.ModuleList()
        for _ in range(repeat):
            self.stages.append(Stage(ch))

    def forward(self, x):
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i == 0:
                total = x
            else:
                total += x  # expect GG201
        return total


torch.manual_seed(0)
neck = Neck()
out = neck(torch.randn(1, 4, 5, 5))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("stages[0].conv.weight.grad:", [round(v, 4) for v in neck.stages[0].conv.weight.grad.flatten()[:4].tolist()])
