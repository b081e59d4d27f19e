"""A step found by name reads the module-level generator; `fake += noise` changes what Tanh saved.

`netG` ends in nn.Tanh, which saves its output for backward. The step is called through a table of steps (as
a command-line script picks one), so the module's own code never calls it by name: its walk starts from the
globals the module binds once, `netG` among them.
"""
import torch
import torch.nn as nn

STEPS = {}


def step(fn):
    STEPS[fn.__name__] = fn
    return fn


torch.manual_seed(0)
netG = nn.Sequential(nn.Linear(4, 4), nn.Tanh())


@step
def generate(z):
    fake = netG(z)
    fake += 0.1 * torch.randn_like(fake)  # expect GG201
    fake.pow(2).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    return fake


STEPS["generate"](torch.randn(2, 4))
print("weight.grad:", round(netG[0].weight.grad.sum().item(), 4))
