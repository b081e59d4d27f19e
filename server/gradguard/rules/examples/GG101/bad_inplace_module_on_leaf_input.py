"""`nn.ReLU(inplace=True)` applied directly to an input that requires grad.

An in-place activation is fine after a layer, but here its input is the leaf itself.
"""
import torch
import torch.nn as nn

act = nn.ReLU(inplace=True)
x = torch.tensor([[-1.0, 0.5, 2.0]], requires_grad=True)
y = act(x)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
y.sum().backward()
print("y:", y.tolist())
print("x.grad:", x.grad.tolist())
