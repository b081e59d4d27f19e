"""A ReLU built with `inplace=self.inplace`, `inplace = True` on the class, changes what mul saved.

A class attribute is what `self.inplace` reads when no method sets it. `h * gate` keeps `h` for the gradient of
`gate`, and the in-place ReLU then changes `h`.
"""
import torch
import torch.nn as nn


class GatedBlock(nn.Module):
    inplace = True

    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.gate = nn.Linear(dim, dim)
        self.act = nn.ReLU(inplace=self.inplace)

    def forward(self, x):
        h = self.fc(x)
        gated = h * torch.sigmoid(self.gate(x))
        h = self.act(h)  # expect GG201
        return h + gated


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GatedBlock(4)
    block(torch.randn(2, 4)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(block.fc.weight.grad.norm().item(), 4))
