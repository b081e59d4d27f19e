"""One flag tested three times: `h` is saved only with `use_res=False`, changed only with True.

With `use_res=True` the block adds a residual, `h = conv(x) + x`, and shifts that sum in place; nothing keeps it.
With `use_res=False` the gate's product keeps `h` (then the conv's output) for backward, and `h` is left as it is.
A flag the module is built with does not change between the tests: the change never meets the saved tensor.
"""
import torch
import torch.nn as nn


class GatedBlock(nn.Module):
    def __init__(self, use_res=False):
        super().__init__()
        self.use_res = use_res
        self.conv = nn.Linear(4, 4)
        self.proj = nn.Linear(4, 4)

    def forward(self, x):
        if self.use_res:
            h = self.conv(x) + x
        else:
            h = self.conv(x)
        gate = torch.sigmoid(self.proj(x))
        if not self.use_res:
            gate = gate * h
        if self.use_res:
            h += 1
        return h + gate


if __name__ == "__main__":
    torch.manual_seed(0)
    for use_res in (False, True):
        block = GatedBlock(use_res=use_res)
        block(torch.randn(2, 4)).sum().backward()
        print("use_res", use_res, "grad sum:", round(block.conv.weight.grad.sum().item(), 4))
