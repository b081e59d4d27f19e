"""A step a factory returns reads the module-level generator; `fake *= scale` changes what Tanh saved.

`netG` ends in nn.Tanh, which saves its output for backward. `make_step` only defines and returns the step (a
training loop elsewhere calls it), so the step's own walk starts from the globals the module binds once.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
netG = nn.Sequential(nn.Linear(4, 4), nn.Tanh())
optG = torch.optim.SGD(netG.parameters(), lr=0.1)


def make_step(scale):
    def step(z):
        optG.zero_grad()
        fake = netG(z)
        fake *= scale  # expect GG201
        fake.pow(2).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        optG.step()
        return fake

    return step


if __name__ == "__main__":
    step = make_step(0.5)
    step(torch.randn(2, 4))
    print("weight[0]:", [round(v, 4) for v in netG[0].weight[0].tolist()])
