"""The critic steps train on `fake.detach()`; the generator step backpropagates through fakes once."""
import torch
import torch.nn as nn

torch.manual_seed(0)
G, D = nn.Linear(2, 2), nn.Linear(2, 1)
for epoch in range(2):
    for _ in range(2):  # critic steps
        fake = G(torch.randn(4, 2))
        d_loss = D(fake.detach()).mean()
        d_loss.backward()
    g_loss = -D(fake).mean()
    g_loss.backward()
print("G.weight.grad:", [round(v, 4) for v in G.weight.grad.flatten().tolist()])
