"""`nn.init.constant_()` on a weight between the forward pass and backward().

`nn.init` works under `torch.no_grad()`, which makes it fine before the forward pass; here the last
layer already saved its weight.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
out = model(x).sum()
nn.init.constant_(model[2].weight, 0.5)  # expect GG201
out.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", round(out.item(), 4))
print("first layer bias grad:", [round(v, 4) for v in model[0].bias.grad.tolist()])
