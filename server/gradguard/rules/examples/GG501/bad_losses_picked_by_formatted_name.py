"""Losses, one backward() each, picked by a name made from the loop's string (`"d_" + mode`).

Both names (`"d_fake"`, then `"d_mixed"`) take branches that go through the generator's output: the first
backward() frees what `tanh` and the Linear layer saved, and the second one through them raises. The name is a
known string in each iteration, and `"d_mixed"` takes the last branch.
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
    return F.mse_loss(disc((fake + noisy) / 2), torch.zeros(3, 1))


real, noisy = torch.randn(3, 4), torch.randn(3, 4)
fake = torch.tanh(gen(noisy))
for mode in ["fake", "mixed"]:
    loss = objective(fake, real, noisy, "d_" + mode)
    d_opt.zero_grad()
    loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
    d_opt.step()
    print(mode, round(loss.item(), 4))
