"""`nn.ReLU(inplace=False)` applied to an input that requires grad."""
import torch
import torch.nn as nn

act = nn.ReLU(inplace=False)
x = torch.tensor([[-1.0, 0.5, 2.0]], requires_grad=True)
y = act(x)
y.sum().backward()
print("y:", y.tolist())
print("x.grad:", x.grad.tolist())
