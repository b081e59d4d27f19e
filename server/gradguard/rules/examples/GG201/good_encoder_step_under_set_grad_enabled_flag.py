"""`set_grad_enabled(flag)` block: the encoder steps after the recon backward().

The fix of the bad twin: both backward() calls first, then the steps.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
encoder = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3))
decoder, critic = nn.Linear(3, 4), nn.Linear(3, 1)
opt_e = torch.optim.Adam(encoder.parameters(), lr=1e-3)
opt_d = torch.optim.Adam(decoder.parameters(), lr=1e-3)


def train_step(x, train_encoder):
    with torch.set_grad_enabled(train_encoder):
        z = encoder(x)
        if train_encoder:
            loss_e = -torch.sigmoid(critic(z)).mean()
            loss_e.backward(retain_graph=True)
    loss = ((decoder(z) - x) ** 2).mean()
    loss.backward()
    if train_encoder:
        opt_e.step()
    opt_d.step()
    return loss


train_encoder = torch.rand(1).item() < 2.0  # a setting known only when it runs (here always true)
print("loss:", round(train_step(torch.randn(2, 4), train_encoder).item(), 4))
