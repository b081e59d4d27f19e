"""Losses, one backward() each, picked by a name made from the loop's string (`f"d_{mode}"`).

Only the `"d_fake"` loss goes through the generator's output; the other two read data only, so the generator's
graph is freed once (a MetricGAN-style discriminator step). The name is a known string in each iteration, and so is
the branch the loss function takes.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
gen, disc = nn.Linear(4, 4), nn.Linear(4, 1)
d_opt = torch.optim.SGD(disc.parameters(), lr=0.1)


def objective(fake, real, noisy, name):
    if name == "d_real":
        return F.mse_loss(disc(real), torch.ones(3, 1))
    elif name == "d_fake":
        return F.mse_loss(disc(fake), torch.zeros(3, 1))
    return F.mse_loss(disc(noisy), torch.zeros(3, 1))


real, noisy = torch.randn(3, 4), torch.randn(3, 4)
fake = torch.tanh(gen(noisy))
for mode in ["real", "fake", "noisy"]:
    loss = objective(fake, real, noisy, f"d_{mode}")
    d_opt.zero_grad()
    loss.backward()
    d_opt.step()
    print(mode, round(loss.item(), 4))
print("gen.weight.grad:", [round(v, 4) for v in gen.weight.grad[0].tolist()])
