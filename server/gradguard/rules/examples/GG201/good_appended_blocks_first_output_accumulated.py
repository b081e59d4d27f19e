"""Blocks appended to an nn.ModuleList in a loop; `total = x` first, then `total = total + x`.

The running sum starts as the first block's ReLU output, which ReLU saved for backward; `total + x` makes a new
tensor each time and leaves that output as it was.
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
                total = total + x
        return total


torch.manual_seed(0)
neck = Neck()
out = neck(torch.randn(1, 4, 5, 5))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("stages[0].conv.weight.grad:", [round(v, 4) for v in neck.stages[0].conv.weight.grad.flatten()[:4].tolist()])
