"""Centering `stats = y.detach()` in place, where `y` is a sigmoid output.

`.detach()` cuts the graph but not the memory: `stats` and `y` share storage and the version counter,
so `stats -= ...` changes the tensor sigmoid saved.
"""
import torch

x = torch.tensor([0.0, 2.0, -2.0], requires_grad=True)
y = torch.sigmoid(x)
stats = y.detach()
stats -= stats.mean()  # expect GG201
print("centered activations:", [round(v, 4) for v in stats.tolist()])
loss = y.sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
