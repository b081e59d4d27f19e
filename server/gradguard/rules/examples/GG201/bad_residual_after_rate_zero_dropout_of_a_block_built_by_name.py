"""A residual added in place after a rate-0 dropout (the default), in a block built only by name.

`nn.Dropout(p)` returns its input itself when `p=0`, so `out += x` changes the output the second ReLU saved for
backward. The block is built through `globals()`, as a config-driven builder would: the analysis sees no call of
the class that fixes `drop`, and reports on the default (`drop=0.0`). The fix is the out-of-place form, as the
project this comes from made it (pytorch-frame's FCResidualBlock): `out = self.drop(out)` already rebound `out`.
"""
import torch
import torch.nn as nn


class ResidualBlock(nn.Module):
    def __init__(self, dim, drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim)
        self.fc2 = nn.Linear(dim, dim)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        out = self.fc1(x)
        out = self.act(out)
        out = self.drop(out)

        out = self.fc2(out)
        out = self.act(out)
        out = self.drop(out)

        out += x  # expect GG201
        return self.act(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = globals()["ResidualBlock"](4)  # built by name, as a config would
    block(torch.randn(2, 4)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("fc1.bias.grad:", [round(v, 4) for v in block.fc1.bias.grad.tolist()])
