"""A recurrent step adding into the state it was given (`total += k`) and returning it.

This step's `query * total` saves the state; the next step's `total += k` changes that same tensor, so the
backward() through both steps finds it modified.
"""
import torch
import torch.nn as nn


class Accumulator(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.key = nn.Linear(dim, dim)

    def forward(self, query, memory=None):
        k = torch.tanh(self.key(query))
        if memory is None:
            total = torch.zeros_like(k)
        else:
            (total,) = memory
        total += k  # expect GG201
        return query * total, [total]


if __name__ == "__main__":
    torch.manual_seed(0)
    cell = Accumulator(3)
    x = torch.randn(2, 3, requires_grad=True)
    out1, memory = cell(x)
    out2, memory = cell(x, memory)  # expect GG201
    (out1.sum() + out2.sum()).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad sum:", round(x.grad.sum().item(), 4))
