"""Comprehension-built blocks return `(a, b)`; `a_sum = a` on the first pass, then `a_sum += a`.

Each block returns its two ReLU outputs, which ReLU saved for backward. The first iteration keeps the first
block's outputs as the running sums, and every later `+=` changes those saved outputs in place.
"""
import torch
import torch.nn as nn


class Enhance(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1)
        self.act = nn.ReLU()

    def forward(self, a, b):
        return self.act(self.conv(a)), self.act(self.conv(b))


class Neck(nn.Module):
    def __init__(self, ch=4, n=2):
        super().__init__()
        self.stages = nn.ModuleList([Enhance(ch) for _ in range(n)])

    def forward(self, a, b):
        for i, stage in enumerate(self.stages):
            a, b = stage(a, b)
            if i == 0:
                a_sum, b_sum = a, b
            else:
                a_sum += a  # expect GG201
                b_sum = b_sum + b
        return a_sum + b_sum


torch.manual_seed(0)
neck = Neck()
out = neck(torch.randn(1, 4, 5, 5), torch.randn(1, 4, 5, 5))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("stages[0].conv.weight.grad:", [round(v, 4) for v in neck.stages[0].conv.weight.grad.flatten()[:4].tolist()])
