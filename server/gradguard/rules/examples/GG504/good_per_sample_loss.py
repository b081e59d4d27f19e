"""backward() on the mean loss, `reduction="mean"`."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
target = torch.tensor([[1.0], [0.0]])
loss = F.mse_loss(model(x), target, reduction="mean")
loss.backward()
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
