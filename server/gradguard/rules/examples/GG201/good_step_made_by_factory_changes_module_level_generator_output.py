"""A step a factory returns reads the module-level generator; `fake = fake * scale` is a new tensor.

The output nn.Tanh saved stays as it was, so backward() runs.
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
        fake = fake * scale
        fake.pow(2).sum().backward()
        optG.step()
        return fake

    return step


if __name__ == "__main__":
    step = make_step(0.5)
    step(torch.randn(2, 4))
    print("weight[0]:", [round(v, 4) for v in netG[0].weight[0].tolist()])
