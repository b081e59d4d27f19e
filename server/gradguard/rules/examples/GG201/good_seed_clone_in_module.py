"""Seed article: `x_clone = x.clone(); x_clone[0] += 1` inside a module's forward.

The article correctly says this runs; the clone is an ordinary part of the graph and the gradient of
`x` is all ones.
"""
import torch
import torch.nn as nn


class MyModule(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        x_clone = x.clone()
        x_clone[0] += 1
        return x_clone


model = MyModule()
x = torch.ones(5, requires_grad=True)
output = model(x)
loss = output.sum()
loss.backward()
print("output:", output.tolist())
print("x.grad:", x.grad.tolist())
