"""Drop path returns a new tensor (`x / k * mask`) once its rate (0 by default) is set.

The fix of bad_scaled_by_drop_path_rate_set_later.py: the module returns a new tensor, so the cell's input that the
max-pool saved stays as it was.
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
            return x / keep_prob * mask
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    pool = nn.MaxPool2d(3, stride=1, padding=1)
    drop_path = DropPath()
    drop_path.p = 0.2  # the drop-path schedule switches it on after building
    base = torch.randn(4, 2, 5, 5, requires_grad=True)
    x = base * 1.0  # a cell's input: the previous cell's output
    # the skip connection's op is the identity: drop path gets the tensor max-pool saved
    out = pool(x) + drop_path(x)
    out.sum().backward()
    print("grad:", round(base.grad.sum().item(), 4))
