"""`set_grad_enabled(flag)` block: the encoder steps under `if flag:`, before the recon backward().

Grad mode is on exactly where the `if` runs, so the encoder's forward saved its weights there; the step changes
them in place before the reconstruction loss's backward() goes through them (3FabRec's _run_batch did this).
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
            opt_e.step()  # expect GG201
    loss = ((decoder(z) - x) ** 2).mean()
    loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    opt_d.step()
    return loss


train_encoder = torch.rand(1).item() < 2.0  # a setting known only when it runs (here always true)
print("loss:", round(train_step(torch.randn(2, 4), train_encoder).item(), 4))
