"""A block run under gradient checkpointing, then added to its input out of place: `x = x + h`.

`checkpoint` keeps `x` to run the block again at backward(); the sum is a new tensor, so `x` stays as kept.
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
        x = x + h
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    inputs = torch.randn(2, 4, requires_grad=True)
    out = Stack()(inputs * 1.0)
    out.sum().backward()
    print("grad sum:", round(inputs.grad.sum().item(), 4))
