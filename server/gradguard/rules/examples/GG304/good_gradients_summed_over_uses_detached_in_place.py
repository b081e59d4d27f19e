"""`grad.detach_()` of gradients that are no views.

A convolution's and a norm's, and a linear layer's applied at each of three steps (torch sums the three parts
into a new tensor).
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
loss = features(torch.randn(2, 3, 8, 8)).pow(2).mean()
for grad in torch.autograd.grad(loss, features.parameters()):
    grad.detach_()
cell = nn.Linear(4, 4)
h = torch.zeros(2, 4)
for step in range(3):
    h = torch.tanh(cell(h) + 1)
grads = torch.autograd.grad(h.sum(), cell.parameters(), create_graph=True)
for grad in grads:
    grad.detach_()
print(len(grads))
