"""Category 6: a GAN step backpropagates the discriminator loss, then the generator loss through the same graph."""
import torch
from torch import nn

G = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
D = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
opt_g = torch.optim.SGD(G.parameters(), lr=0.01)
opt_d = torch.optim.SGD(D.parameters(), lr=0.01)

z, real = torch.randn(4, 2), torch.randn(4, 2)
fake = G(z)
d_fake = D(fake)
d_loss = d_fake.mean() - D(real).mean()
opt_d.zero_grad()
d_loss.backward()
opt_d.step()
g_loss = -d_fake.mean()
opt_g.zero_grad()
g_loss.backward()  # BUG
opt_g.step()
