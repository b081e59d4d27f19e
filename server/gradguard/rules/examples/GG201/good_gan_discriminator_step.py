"""GAN training: the generator loss is computed after the discriminator's step."""
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
d_loss = D(fake.detach()).mean() - D(real).mean()
d_opt.zero_grad()
d_loss.backward()
d_opt.step()
g_loss = -D(fake).mean()
g_opt.zero_grad()
g_loss.backward()
g_opt.step()
print("d_loss:", round(d_loss.item(), 4), "g_loss:", round(g_loss.item(), 4))
print("G.bias:", [round(v, 4) for v in G.bias.tolist()])
