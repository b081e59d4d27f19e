"""The same rows zeroed in a clone of the sigmoid output: the output sigmoid saved stays as it was.

Twin of the bad example: `h = h.clone()` first, so the view that `reshape` gives is one of the clone.
"""
import torch
import torch.nn as nn


class MaskedGates(nn.Module):
    def __init__(self, d_in, d_out, keep):
        super().__init__()
        self.proj = nn.Linear(d_in, d_out)
        self.keep = keep

    def forward(self, x):
        h = torch.sigmoid(self.proj(x))
        h = h.clone()
        h[self.keep:].reshape(-1, 2, 3)[:] = 0.0
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    gates = MaskedGates(5, 6, 2)
    loss = gates(torch.randn(4, 5)).sum()
    loss.backward()
    print("grad norm:", round(gates.proj.weight.grad.norm().item(), 4))
