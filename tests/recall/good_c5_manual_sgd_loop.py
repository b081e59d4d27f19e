"""Category 5: a hand-written SGD step over model.parameters() under no_grad."""
import torch
from torch import nn

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
lr = 0.05
for step in range(2):
    x, y = torch.randn(16, 4), torch.randn(16, 1)
    loss = ((model(x) - y) ** 2).mean()
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
