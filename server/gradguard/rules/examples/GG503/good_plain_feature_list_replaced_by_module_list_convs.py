"""Plain feature maps in a list, each replaced by a conv's output (`x[i] = self.m[i](x[i])`): has grad.

The inputs do not require grad, but the convs' weights do: after the loop every item of the list is a conv output,
so `torch.stack(x)` and its sum have a grad_fn and backward() runs.
"""
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, ch=4, scales=3):
        super().__init__()
        self.nl = scales
        self.m = nn.ModuleList(nn.Conv2d(ch, ch, 1) for _ in range(scales))

    def forward(self, x):
        for i in range(self.nl):
            x[i] = self.m[i](x[i])
        return torch.stack(x)


torch.manual_seed(0)
head = Head()
feats = [torch.randn(2, 4, 5, 5) for _ in range(3)]
out = head(feats)
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("m[0].weight.grad:", [round(v, 4) for v in head.m[0].weight.grad.flatten()[:4].tolist()])
