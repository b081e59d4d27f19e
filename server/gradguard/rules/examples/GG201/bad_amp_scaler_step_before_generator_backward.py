"""Mixed precision: `scaler.step(opt_d)` before the backward() of a G loss made from that `D(fake)`.

A GradScaler's `step(opt_d)` calls `opt_d.step()`, which changes D's parameters in place. `g_loss` goes through
`d_fake = D(fake)`, and D's linear layers saved their weights for the gradient flowing back to `fake`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def train_step(G, D, opt_g, opt_d, scaler, real, noise):
    fake = G(noise)
    d_fake = D(fake)
    d_loss = F.softplus(d_fake).mean() + F.softplus(-D(real)).mean()
    g_loss = F.softplus(-d_fake).mean()
    opt_d.zero_grad()
    scaler.scale(d_loss).backward(retain_graph=True)
    scaler.step(opt_d)  # expect GG201
    opt_g.zero_grad()
    scaler.scale(g_loss).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
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
    losses = train_step(G, D, opt_g, opt_d, scaler, torch.randn(5, 3), torch.randn(5, 4))  # expect GG201
    print("losses:", [round(v, 4) for v in losses])
