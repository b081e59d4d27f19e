"""Category 3: YOLO-style head output split into box/objectness/class parts; the box part is scaled with *=."""
import torch
from torch import nn


class DecoupledHead(nn.Module):
    def __init__(self, ch, nc=3):
        super().__init__()
        self.nc = nc
        self.pred = nn.Conv2d(ch, 4 + 1 + nc, 1)
        self.stride = 8.0

    def forward(self, x):
        p = self.pred(x)
        box, obj, cls = p.split((4, 1, self.nc), dim=1)
        box *= self.stride  # BUG
        return torch.cat([box, obj.sigmoid(), cls.sigmoid()], dim=1)


if __name__ == "__main__":
    head = DecoupledHead(6)
    head(torch.randn(1, 6, 3, 3)).sum().backward()
