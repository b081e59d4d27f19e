"""A block run under gradient checkpointing, then its input changed in place: `x += h`.

`checkpoint(self.block, x)` keeps `x` to run the block again at backward() (it keeps none of the block's own
saved tensors, to save memory); `x += h` changes it, and the backward() that recomputes the block fails.
"""
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint


class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = nn.Sequential(nn.Linear(4, 4), nn.Tanh())

    def forward(self, x):
        h = checkpoint(self.block, x, use_reentrant=False)
        x += h  # expect GG201
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    inputs = torch.randn(2, 4, requires_grad=True)
    out = Stack()(inputs * 1.0)  # expect GG201
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad sum:", round(inputs.grad.sum().item(), 4))
