"""A WGAN's generator step reuses the fake batch the last critic step already backpropagated through.

The critic loop is nested in the training loop; the freed graph was built in this very iteration (by the last
critic step), not carried over from the previous one, so it is GG501, not GG502.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
G, D = nn.Linear(2, 2), nn.Linear(2, 1)
for epoch in range(2):
    for _ in range(2):  # critic steps
        fake = G(torch.randn(4, 2))
        d_loss = D(fake).mean()
        d_loss.backward()
    g_loss = -D(fake).mean()
    g_loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
print("done")
