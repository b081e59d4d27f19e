"""`grad.detach_()` of each gradient of a model's parameters (a meta-learning step).

`torch.autograd.grad` returns the gradient of an nn.Linear's weight (and of its bias) that one `linear` of the graph
used as a view (the transpose of a matrix product), with create_graph or without; torch refuses to detach a view in
place.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 5))
inputs = torch.randn(2, 3, 8, 8)
targets = torch.tensor([1, 3])
fast_loss = nn.functional.cross_entropy(net(inputs), targets)
grads = torch.autograd.grad(fast_loss, net.parameters(), create_graph=True)
for grad in grads:
    grad.detach_()  # expect GG304; torch raises: Can't detach views in-place
fast_weights = [p - 0.1 * g for p, g in zip(net.parameters(), grads)]
print(len(fast_weights))
