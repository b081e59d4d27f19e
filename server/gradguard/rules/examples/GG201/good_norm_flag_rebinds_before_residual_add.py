"""`if self.final_bn: out = self.bn(out)`, then `out += x`: the add changes the norm output only.

Batch norm saves the tensor it is given; on the runs that call it, `out` is rebound to its output, so the in-place
residual add never reaches the saved input. On the runs that skip it (`final_bn=False`), nothing saved `out`.
"""
import torch
import torch.nn as nn


class ResidualLayer(nn.Module):
    def __init__(self, block, planes, final_bn=True):
        super().__init__()
        self.block = block
        self.final_bn = final_bn
        if final_bn:
            self.bn = nn.BatchNorm2d(planes)

    def forward(self, x):
        out = self.block(x)
        if self.final_bn:
            out = self.bn(out)
        out += x
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 3, 4, 4, requires_grad=True)
    layer = ResidualLayer(nn.Conv2d(3, 3, 3, padding=1), 3)
    layer(x).sum().backward()
    print("x.grad:", round(x.grad.sum().item(), 4))
