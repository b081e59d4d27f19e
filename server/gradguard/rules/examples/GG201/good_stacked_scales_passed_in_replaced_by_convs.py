"""A stacked tensor made a list first (`x = list(x)`): each row replaced in the list, none changed.

`list(x)` of a tensor is a new Python list of its rows; `x[i] = ...` then puts the conv's output in the list's slot
and leaves the row the conv saved as its input as it was. The rows are stacked again at the end.
"""
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, ch=4, scales=3):
        super().__init__()
        self.m = nn.ModuleList(nn.Conv2d(ch, ch, 1) for _ in range(scales))

    def forward(self, x):
        x = list(x)
        for i in range(len(self.m)):
            x[i] = self.m[i](x[i])
        return torch.stack(x)


torch.manual_seed(0)
head = Head()
feats = [torch.randn(2, 4, 5, 5, requires_grad=True) for _ in range(3)]
out = head(torch.stack(feats))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("m[0].weight.grad:", [round(v, 4) for v in head.m[0].weight.grad.flatten()[:4].tolist()])
