"""A stacked tensor passed in, then `x[i] = self.m[i](x[i])` overwrites the row each conv saved.

The caller stacks its feature maps into one tensor; in forward, `x[i]` is a view of it, which the conv keeps as its
input for backward (to compute its weight's gradient). Writing the conv's output back into `x[i]` changes it.
"""
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, ch=4, scales=3):
        super().__init__()
        self.m = nn.ModuleList(nn.Conv2d(ch, ch, 1) for _ in range(scales))

    def forward(self, x):
        for i in range(len(self.m)):
            x[i] = self.m[i](x[i])
        return x


torch.manual_seed(0)
head = Head()
feats = [torch.randn(2, 4, 5, 5, requires_grad=True) for _ in range(3)]
out = head(torch.stack(feats))  # expect GG201
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("m[0].weight.grad:", [round(v, 4) for v in head.m[0].weight.grad.flatten()[:4].tolist()])
