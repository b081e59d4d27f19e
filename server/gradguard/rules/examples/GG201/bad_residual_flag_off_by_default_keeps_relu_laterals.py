"""`use_res=False` by default keeps ReLU outputs in the list that the top-down sum adds into in place.

Built with its defaults, each lateral is the block's ReLU output (`laterals.append(d_feat)`), not the residual
sum made on the flag's other side. The top-down pathway then adds the upsampled level into it in place, and the
ReLU's backward needs that output (GANet's DCN-FPN neck, built with its defaults).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Neck(nn.Module):
    def __init__(self, use_res=False):
        super().__init__()
        self.use_res = use_res
        self.lateral_convs = nn.ModuleList([nn.Conv2d(2, 2, 1) for _ in range(3)])
        self.def_convs = nn.ModuleList([nn.Sequential(nn.Conv2d(2, 2, 1), nn.ReLU()) for _ in range(3)])

    def forward(self, inputs):
        laterals = []
        for i, (lateral_conv, deform_conv) in enumerate(zip(self.lateral_convs, self.def_convs)):
            mid_feat = lateral_conv(inputs[i])
            d_feat = deform_conv(mid_feat)
            if self.use_res:
                laterals.append(d_feat + mid_feat)
            else:
                laterals.append(d_feat)
        for i in range(len(laterals) - 1, 0, -1):
            laterals[i - 1] += F.interpolate(laterals[i], size=laterals[i - 1].shape[2:], mode="nearest")  # expect GG201
        return laterals


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Neck()
    outs = net([torch.randn(1, 2, 8, 8), torch.randn(1, 2, 4, 4), torch.randn(1, 2, 2, 2)])
    sum(o.sum() for o in outs).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(net.lateral_convs[0].weight.grad.norm().item(), 4))
