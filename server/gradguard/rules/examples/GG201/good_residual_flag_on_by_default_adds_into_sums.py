"""`use_res=True` by default: the list holds residual sums, which nothing saved; the in-place sum runs.

Only a module built with `use_res=False` would put the ReLU outputs themselves in the list; built with its
defaults, each lateral is `d_feat + mid_feat`, and adding into it in place leaves every saved tensor as it was.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Neck(nn.Module):
    def __init__(self, use_res=True):
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
            laterals[i - 1] += F.interpolate(laterals[i], size=laterals[i - 1].shape[2:], mode="nearest")
        return laterals


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Neck()
    outs = net([torch.randn(1, 2, 8, 8), torch.randn(1, 2, 4, 4), torch.randn(1, 2, 2, 2)])
    sum(o.sum() for o in outs).backward()
    print("grad norm:", round(net.lateral_convs[0].weight.grad.norm().item(), 4))
