"""A module whose `forward` zeroes a column of a clone of its weight."""
import torch
import torch.nn as nn


class NoFirstFeature(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))

    def forward(self, x):
        weight = self.weight.clone()
        weight[:, 0] = 0.0
        return x @ weight.T


model = NoFirstFeature()
out = model(torch.tensor([[1.0, 1.0, 1.0]]))
out.sum().backward()
print("out:", out.tolist())
print("weight.grad:", model.weight.grad.tolist())
