"""The same blocks with `out = out + self.top(y)`: a new tensor, the saved ReLU output stays."""
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
        out = out + self.top(y)
        return out


torch.manual_seed(0)
net = Fuse()
out = net(torch.randn(1, 4, 3, 3), torch.randn(1, 4, 3, 3))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("lateral.conv.weight.grad:", [round(v, 4) for v in net.lateral.conv.weight.grad.flatten()[:4].tolist()])
