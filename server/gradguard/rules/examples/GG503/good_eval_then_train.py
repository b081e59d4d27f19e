"""Evaluation under `torch.no_grad()`, then training with grad mode on, in one script."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
y = torch.tensor([[1.0], [2.0]])
with torch.no_grad():
    val_loss = ((model(x) - y) ** 2).mean()
loss = ((model(x) - y) ** 2).mean()
loss.backward()
print("val loss:", round(val_loss.item(), 4))
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
