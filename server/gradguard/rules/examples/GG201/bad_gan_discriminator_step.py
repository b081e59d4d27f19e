"""GAN training: the discriminator's `step()` runs between the generator loss and its backward().

`g_loss` goes through `D`, which saved its weight for the gradient flowing back to the fake samples.
`d_opt.step()` changes that weight in place before `g_loss.backward()`.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
G = nn.Linear(2, 2)
D = nn.Linear(2, 1)
g_opt = torch.optim.SGD(G.parameters(), lr=0.1)
d_opt = torch.optim.SGD(D.parameters(), lr=0.1)
z = torch.randn(4, 2)
real = torch.randn(4, 2) + 2.0
fake = G(z)
g_loss = -D(fake).mean()
d_loss = D(fake.detach()).mean() - D(real).mean()
d_opt.zero_grad()
d_loss.backward()
d_opt.step()  # expect GG201
g_opt.zero_grad()
g_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
g_opt.step()
print("d_loss:", round(d_loss.item(), 4), "g_loss:", round(g_loss.item(), 4))
print("G.bias:", [round(v, 4) for v in G.bias.tolist()])
