"""Category 1: a Lightning-style training_step that gates a sigmoid output in place."""
import torch
import torch.nn.functional as F
from torch import nn


class GatedRegressor(nn.Module):
    def __init__(self, in_dim=8, hidden=16):
        super().__init__()
        self.encoder = nn.Linear(in_dim, hidden)
        self.gate = nn.Linear(in_dim, hidden)
        self.head = nn.Linear(hidden, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        h = self.encoder(x)
        g = torch.sigmoid(self.gate(x))
        g = g * h
        pred = self.head(g).squeeze(-1)
        return F.mse_loss(pred, y)


model = GatedRegressor()
batch = (torch.randn(5, 8), torch.randn(5))
loss = model.training_step(batch, 0)
loss.backward()
