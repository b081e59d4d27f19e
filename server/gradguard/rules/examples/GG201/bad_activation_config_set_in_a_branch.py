"""An activation config set on one side of an `if`, then `laterals[i - 1] +=` on the ReLU's output.

`act_cfg = None`, then `act_cfg = dict(type="ReLU")` when the module is built with `relu_on_lateral=True`.

After the `if`, `act_cfg` is the ReLU's config or None, whichever the configuration asked for: built with the ReLU,
each lateral output is the ReLU's, which it saved for backward, and the top-down sum changes it in place.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


MODELS = {}


def register(cls):
    MODELS[cls.__name__] = cls
    return cls


def build(cfg):
    cfg = dict(cfg)
    return MODELS[cfg.pop("type")](**cfg)


def build_layer(cin, cout, act_cfg):
    layers = [nn.Conv2d(cin, cout, 1)]
    if act_cfg is not None:
        cfg = act_cfg.copy()
        layer_type = cfg.pop("type")
        layers.append(getattr(nn, layer_type)(**cfg))
    return nn.Sequential(*layers)


@register
class FPN(nn.Module):
    def __init__(self, in_channels, out_channels=4, relu_on_lateral=False):
        super().__init__()
        act_cfg = None
        if relu_on_lateral:
            act_cfg = dict(type="ReLU")
        self.laterals = nn.ModuleList([build_layer(c, out_channels, act_cfg) for c in in_channels])

    def forward(self, inputs):
        laterals = [conv(inputs[i]) for i, conv in enumerate(self.laterals)]
        for i in range(len(laterals) - 1, 0, -1):
            laterals[i - 1] += F.interpolate(laterals[i], size=laterals[i - 1].shape[2:])  # expect GG201
        return torch.cat([x.flatten(1) for x in laterals], dim=1)


torch.manual_seed(0)
net = build(dict(type="FPN", in_channels=[3, 5], relu_on_lateral=True))
out = net([torch.randn(1, 3, 4, 4), torch.randn(1, 5, 2, 2)])
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten()[:6].tolist()])
print("laterals[0][0].weight.grad:", [round(v, 4) for v in net.laterals[0][0].weight.grad.flatten()[:4].tolist()])
