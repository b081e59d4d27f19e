"""Category 3: a gated conv splits its output with tensor_split; the gate conv saved one piece, and the other
piece is gated in place (the pieces share the output's version counter)."""
import torch
from torch import nn


class GatedConv(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv1d(ch, ch * 2, 3, padding=1)
        self.gate_conv = nn.Conv1d(ch, ch, 1)

    def forward(self, x):
        a, b = self.conv(x).tensor_split(2, dim=1)
        gate = self.gate_conv(b)
        a.mul_(torch.sigmoid(gate))  # BUG
        return a


if __name__ == "__main__":
    m = GatedConv(3)
    m(torch.randn(2, 3, 5)).sum().backward()
