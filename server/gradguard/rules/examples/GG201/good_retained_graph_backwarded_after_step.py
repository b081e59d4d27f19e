"""The same two losses, both backwarded before either optimizer steps: no weight changes before."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def update(d_loss, g_loss, d_opt, g_opt):
    d_opt.zero_grad()
    d_loss.backward(retain_graph=True)
    g_opt.zero_grad()
    g_loss.backward()
    d_opt.step()
    g_opt.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    generator = nn.Linear(4, 4)
    discriminator = nn.Linear(4, 1)
    score = discriminator(generator(torch.randn(8, 4)))
    update(F.softplus(score).mean(), F.softplus(-score).mean(),
           torch.optim.SGD(discriminator.parameters(), lr=0.1), torch.optim.SGD(generator.parameters(), lr=0.1))
    print("generator.weight[0]:", [round(v, 4) for v in generator.weight[0].tolist()])
