"""Two losses of one forward pass, handed in: the first one's step() before the other's backward().

`update` sees losses and optimizers, not the models. `retain_graph=True` on the first backward() says that the
second loss goes through the same graph; the discriminator's step changes its weight in place, which its linear
layer saved for the gradient of its input (the generator's output), and the second backward() goes through it.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def update(d_loss, g_loss, d_opt, g_opt):
    d_opt.zero_grad()
    d_loss.backward(retain_graph=True)
    d_opt.step()  # expect GG201
    g_opt.zero_grad()
    g_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    g_opt.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    generator = nn.Linear(4, 4)
    discriminator = nn.Linear(4, 1)
    score = discriminator(generator(torch.randn(8, 4)))
    update(F.softplus(score).mean(), F.softplus(-score).mean(),
           torch.optim.SGD(discriminator.parameters(), lr=0.1), torch.optim.SGD(generator.parameters(), lr=0.1))
    print("generator.weight[0]:", [round(v, 4) for v in generator.weight[0].tolist()])
