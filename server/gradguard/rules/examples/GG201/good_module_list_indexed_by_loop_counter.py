"""A ModuleList called by a loop counter, `self.down[i](feat)`, its output added to out of place.

Each downsampling block ends in `nn.ReLU(inplace=True)`, whose output ReluBackward saves. `for i in
range(len(self.down))` reaches the blocks by index rather than by iterating the list; `feat = feat + ...` makes a new
tensor and leaves the output the ReLU saved as it was.
"""
import torch
import torch.nn as nn


class FuseScales(nn.Module):
    def __init__(self, ch=4, scales=3):
        super().__init__()
        self.lateral = nn.ModuleList([nn.Conv2d(ch, ch, 1) for _ in range(scales)])
        down = []
        for _ in range(scales - 1):
            down.append(nn.Sequential(nn.Conv2d(ch, ch, 3, stride=2, padding=1), nn.BatchNorm2d(ch),
                                      nn.ReLU(inplace=True)))
        self.down = nn.ModuleList(down)

    def forward(self, xs):
        feat = self.lateral[0](xs[0])
        for i in range(len(self.down)):
            feat = self.down[i](feat)
            feat = feat + self.lateral[i + 1](xs[i + 1])
        return feat


torch.manual_seed(0)
net = FuseScales()
xs = [torch.randn(2, 4, 8, 8), torch.randn(2, 4, 4, 4), torch.randn(2, 4, 2, 2)]
out = net(xs)
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("down[0][0].weight.grad:", [round(v, 4) for v in net.down[0][0].weight.grad.flatten()[:4].tolist()])
