"""`out += 1` on the output of a model wrapped in `nn.DataParallel`, whose last layer is a ReLU.

The wrapper runs the module's own forward (on one device or none it calls `self.module(...)` directly), so the
ReLU has saved the very tensor that `+=` then changes, and backward() fails.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.DataParallel(nn.Sequential(nn.Linear(4, 4), nn.ReLU()))
out = net(torch.randn(2, 4))
out += 1  # expect GG201
loss = out.sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
