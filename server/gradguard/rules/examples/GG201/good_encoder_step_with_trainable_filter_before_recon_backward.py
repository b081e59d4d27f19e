"""The encoder's optimizer (of its trainable parameters) steps after the reconstruction backward().

The fix of the bad twin: one encoder step once both losses went back through `z = Q(x)`.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
Q = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3))
P = nn.Linear(3, 4)
D = nn.Linear(3, 1)
opt_E = torch.optim.Adam(list(filter(lambda p: p.requires_grad, Q.parameters())), lr=1e-3)
opt_G = torch.optim.Adam(P.parameters(), lr=1e-3)
x = torch.randn(2, 4)
z = Q(x)
loss_E = -torch.sigmoid(D(z)).mean()
loss_E.backward(retain_graph=True)
loss = ((P(z) - x) ** 2).mean()
loss.backward()
opt_E.step()
opt_G.step()
print("loss:", round(loss.item(), 4))
