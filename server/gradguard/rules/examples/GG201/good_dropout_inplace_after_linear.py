"""`nn.Dropout(inplace=True)` after a Linear layer: nothing saved the Linear output."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(p=0.5, inplace=True), nn.Linear(4, 1))
x = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
out = model(x)
out.sum().backward()
print("out:", round(out.item(), 4))
print("last bias grad:", model[2].bias.grad.tolist())
