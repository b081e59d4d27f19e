"""An in-place dropout after the activation a helper picked by name, three builder calls deep.

`get_act(name)` is the usual helper that turns a configuration's name into an activation (`name.lower()`, one
branch per name, `raise` for an unknown one). `__init__` reaches it through `_double_block` -> `_conv_block`, past
the walk's call limit; it calls nothing of the project, so it is walked anyway, and with the default name it builds
`nn.ReLU(inplace=True)`, whose output ReluBackward keeps. The `nn.Dropout2d(p, inplace=True)` after it rewrites
that output (synthtorch's U-Net).
"""
import torch
import torch.nn as nn


class ConfigError(Exception):
    pass


def get_act(name, inplace=True):
    """The activation module `name` stands for: relu, lrelu, tanh or sigmoid."""
    if name.lower() == "relu":
        act = nn.ReLU(inplace=inplace)
    elif name.lower() == "lrelu":
        act = nn.LeakyReLU(inplace=inplace)
    elif name.lower() == "tanh":
        act = nn.Tanh()
    elif name.lower() == "sigmoid":
        act = nn.Sigmoid()
    else:
        raise ConfigError(f"activation {name} is not supported")
    return act


class Unet(nn.Module):
    def __init__(self, dropout_p=0.2, activation="relu"):
        super().__init__()
        self.dropout_p = dropout_p
        self.activation = activation
        self.start = self._double_block(1, 4, 4)

    def forward(self, x):
        return self.start(x)  # expect GG201

    def _dropout(self):
        return nn.Dropout2d(self.dropout_p, inplace=True)

    def _conv_block(self, in_c, out_c):
        return nn.Sequential(nn.Conv2d(in_c, out_c, 3, padding=1), nn.BatchNorm2d(out_c),
                             get_act(self.activation), self._dropout())

    def _double_block(self, in_c, mid_c, out_c):
        return nn.Sequential(self._conv_block(in_c, mid_c), self._conv_block(mid_c, out_c))


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Unet()
    net(torch.randn(2, 1, 8, 8)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(net.start[0][0].weight.grad.norm().item(), 4))
