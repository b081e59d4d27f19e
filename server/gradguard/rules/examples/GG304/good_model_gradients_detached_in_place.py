"""`grads = [grad.detach() for grad in grads]`: detached copies of the gradients, views or not."""
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 5))
inputs = torch.randn(2, 3, 8, 8)
targets = torch.tensor([1, 3])
fast_loss = nn.functional.cross_entropy(net(inputs), targets)
grads = torch.autograd.grad(fast_loss, net.parameters(), create_graph=True)
grads = [grad.detach() for grad in grads]
fast_weights = [p - 0.1 * g for p, g in zip(net.parameters(), grads)]
print(len(fast_weights))
