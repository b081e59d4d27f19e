"""An activation built only when the caller passes a config: `out +=` on that ReLU's output.

The block applies its activation only when it was given one (`if self.act is not None:`). The lateral block is
built with `act_cfg`, so its output is the ReLU's, which ReLU saved for backward; adding the top block's output
to it in place changes what backward() needs.
"""
import torch
import torch.nn as nn


class ConvAct(nn.Module):
    def __init__(self, cin, cout, act_cfg=None):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1)
        self.act = nn.ReLU() if act_cfg is not None else None

    def forward(self, x):
        x = self.conv(x)
        if self.act is not None:
            x = self.act(x)
        return x


class Fuse(nn.Module):
    def __init__(self, ch=4):
        super().__init__()
        self.lateral = ConvAct(ch, ch, act_cfg=dict(type="ReLU"))
        self.top = ConvAct(ch, ch)

    def forward(self, x, y):
        out = self.lateral(x)
        out += self.top(y)  # expect GG201
        return out


torch.manual_seed(0)
net = Fuse()
out = net(torch.randn(1, 4, 3, 3), torch.randn(1, 4, 3, 3))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("lateral.conv.weight.grad:", [round(v, 4) for v in net.lateral.conv.weight.grad.flatten()[:4].tolist()])
