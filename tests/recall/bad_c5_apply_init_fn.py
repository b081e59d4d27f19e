"""Category 5: model.apply(init_fn) where init_fn fills biases in place with grad mode on."""
import torch
from torch import nn


def init_fn(m):
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight)
        m.bias.fill_(0.01)  # BUG


net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 2, 3))
net.apply(init_fn)
net(torch.randn(1, 3, 8, 8)).mean().backward()
