"""Category 6: a multi-task step encodes once and calls backward() per task head through the shared encoder."""
import torch
from torch import nn

encoder = nn.Sequential(nn.Linear(6, 8), nn.ReLU())
heads = nn.ModuleList([nn.Linear(8, 1) for _ in range(2)])
params = list(encoder.parameters()) + list(heads.parameters())
opt = torch.optim.SGD(params, lr=0.01)

x = torch.randn(4, 6)
targets = [torch.randn(4, 1), torch.randn(4, 1)]
feats = encoder(x)
opt.zero_grad()
for head, y in zip(heads, targets):
    loss = nn.functional.mse_loss(head(feats), y)
    loss.backward()  # BUG
opt.step()
