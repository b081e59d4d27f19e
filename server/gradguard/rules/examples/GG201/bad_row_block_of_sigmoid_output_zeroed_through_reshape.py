"""The last rows of a sigmoid output zeroed through a reshape: `h[keep:].reshape(-1, 2, 3)[:] = 0.0`.

Rows cut from a contiguous tensor (`h[keep:]`) are contiguous themselves, so `reshape` of them is a view of `h`,
not a copy, and the write changes the output that sigmoid saved for its backward.
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
        h[self.keep:].reshape(-1, 2, 3)[:] = 0.0  # expect GG201
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    gates = MaskedGates(5, 6, 2)
    loss = gates(torch.randn(4, 5)).sum()
    loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(gates.proj.weight.grad.norm().item(), 4))
