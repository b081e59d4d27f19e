"""Drop path scales its input in place (`x.div_(k).mul_(mask)`) once its rate (0 by default) is set.

The rate is switched on after the module is built (a schedule sets `drop_path.p` on every cell), so `p=0.` is not
what trains. On a skip connection the module's input is the cell's input itself, which the max-pool beside it
saved for backward: the in-place scaling changes it, and backward() raises.
"""
import torch
import torch.nn as nn


class DropPath(nn.Module):
    def __init__(self, p=0.):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.training and self.p > 0.:
            keep_prob = 1. - self.p
            mask = torch.zeros((x.size(0), 1, 1, 1)).bernoulli_(keep_prob)
            x.div_(keep_prob).mul_(mask)  # expect GG202
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    pool = nn.MaxPool2d(3, stride=1, padding=1)
    drop_path = DropPath()
    drop_path.p = 0.2  # the drop-path schedule switches it on after building
    base = torch.randn(4, 2, 5, 5, requires_grad=True)
    x = base * 1.0  # a cell's input: the previous cell's output
    # the skip connection's op is the identity: drop path gets the tensor max-pool saved
    out = pool(x) + drop_path(x)  # expect GG201
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", round(base.grad.sum().item(), 4))
