"""`if self.gate: out = torch.sigmoid(out)`, then `out += x`: the add changes the saved output.

Built with its default `gate=True`, the name holds the sigmoid's output when the in-place residual add runs; the
sigmoid keeps that output for backward, so backward() fails.
"""
import torch
import torch.nn as nn


class GatedResidual(nn.Module):
    def __init__(self, block, gate=True):
        super().__init__()
        self.block = block
        self.gate = gate

    def forward(self, x):
        out = self.block(x)
        if self.gate:
            out = torch.sigmoid(out)
        out += x  # expect GG201
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 3, 4, 4, requires_grad=True)
    layer = GatedResidual(nn.Conv2d(3, 3, 3, padding=1))
    layer(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("x.grad:", round(x.grad.sum().item(), 4))
