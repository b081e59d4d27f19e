"""`x[i] = relu(self.m[i](x[i]))` on a list: the new item is the output relu saved."""
import torch
import torch.nn as nn


class DetectHead(nn.Module):
    def __init__(self, ch=(8, 8), no=6):
        super().__init__()
        self.m = nn.ModuleList(nn.Conv2d(c, no, 1) for c in ch)

    def forward(self, x):
        for i in range(len(x)):
            x[i] = torch.relu(self.m[i](x[i]))
            wh = x[i][:, 2:4]
            wh.mul_(2.0)  # expect GG201
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    head = DetectHead()
    out = head([torch.randn(1, 8, 4, 4, requires_grad=True), torch.randn(1, 8, 2, 2, requires_grad=True)])
    sum(o.sum() for o in out).backward()  # torch raises: modified by an inplace operation
