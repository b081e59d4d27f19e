import torch
import torch.nn as nn

x = torch.randn(2, 3, 4, 4, requires_grad=True)
y = nn.InstanceNorm2d(3)(x)  # instance_norm's output is a view
y = torch.relu_(y)
y.mul_(0.5)  # expect GG201
y.sum().backward()
