"""`x[i] = self.m[i](x[i])` on a list replaces the item: a view of the new one may change in place."""
import torch
import torch.nn as nn


class DetectHead(nn.Module):
    def __init__(self, ch=(8, 8), no=6):
        super().__init__()
        self.m = nn.ModuleList(nn.Conv2d(c, no, 1) for c in ch)

    def forward(self, x):
        for i in range(len(x)):
            x[i] = self.m[i](x[i])  # the conv saved the old item, not this one
            wh = x[i][:, 2:4]
            wh.mul_(2.0)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    head = DetectHead()
    out = head([torch.randn(1, 8, 4, 4, requires_grad=True), torch.randn(1, 8, 2, 2, requires_grad=True)])
    sum(o.sum() for o in out).backward()
    print("grad:", head.m[0].weight.grad.abs().sum().item())
