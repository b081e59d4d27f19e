"""`nn.init.constant_()` on a weight before the forward pass."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
nn.init.constant_(model[2].weight, 0.5)
out = model(x).sum()
out.backward()
print("out:", round(out.item(), 4))
print("first layer bias grad:", [round(v, 4) for v in model[0].bias.grad.tolist()])
