"""backward() on the sum of a model's outputs for a batch of two."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
x = torch.tensor([[1.0, 0.0, 2.0], [0.5, -1.0, 1.0]])
out = model(x)
out.sum().backward()
print("last bias grad:", model[2].bias.grad.tolist())
