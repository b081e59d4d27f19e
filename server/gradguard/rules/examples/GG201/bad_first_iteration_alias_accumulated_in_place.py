"""`if i == 0: total = x`, then `total += x`: later iterations change the first stage's ReLU output.

On the first iteration `total` is not a new tensor but the first stage's output, which its ReLU saved for
backward; every later `total += x` changes it in place.
"""
import torch
import torch.nn as nn


class Neck(nn.Module):
    def __init__(self, ch=4, n=3):
        super().__init__()
        self.stages = nn.ModuleList([nn.Sequential(nn.Conv2d(ch, ch, 3, padding=1), nn.ReLU()) for _ in range(n)])

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
print("stages[0][0].weight.grad:", [round(v, 4) for v in neck.stages[0][0].weight.grad.flatten()[:4].tolist()])
