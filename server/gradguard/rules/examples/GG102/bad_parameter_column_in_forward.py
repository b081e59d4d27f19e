"""A module whose `forward` writes into a column of its own weight.

`self.weight[:, 0]` is a view of an `nn.Parameter`; the assignment raises on the first call.
"""
import torch
import torch.nn as nn


class NoFirstFeature(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))

    def forward(self, x):
        self.weight[:, 0] = 0.0  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
        return x @ self.weight.T


model = NoFirstFeature()
out = model(torch.tensor([[1.0, 1.0, 1.0]]))
out.sum().backward()
print("out:", out.tolist())
print("weight.grad:", model.weight.grad.tolist())
