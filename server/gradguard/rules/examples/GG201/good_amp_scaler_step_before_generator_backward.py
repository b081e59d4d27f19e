"""Mixed precision: the generator loss goes through a fresh `D(fake)` made after `scaler.step(opt_d)`.

The discriminator's loss uses `fake.detach()`, so its backward() frees only D's graph; after the step, `D(fake)`
runs again with the new weights and the generator's backward() goes through that graph.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def train_step(G, D, opt_g, opt_d, scaler, real, noise):
    fake = G(noise)
    d_loss = F.softplus(D(fake.detach())).mean() + F.softplus(-D(real)).mean()
    opt_d.zero_grad()
    scaler.scale(d_loss).backward()
    scaler.step(opt_d)
    g_loss = F.softplus(-D(fake)).mean()
    opt_g.zero_grad()
    scaler.scale(g_loss).backward()
    scaler.step(opt_g)
    scaler.update()
    return d_loss.item(), g_loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    G = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    D = nn.Sequential(nn.Linear(3, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3)
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler("cpu")
    losses = train_step(G, D, opt_g, opt_d, scaler, torch.randn(5, 3), torch.randn(5, 4))
    print("losses:", [round(v, 4) for v in losses])
