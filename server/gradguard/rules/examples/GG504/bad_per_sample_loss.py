"""backward() on a loss computed with `reduction="none"`: one value per sample."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
target = torch.tensor([[1.0], [0.0]])
loss = F.mse_loss(model(x), target, reduction="none")
loss.backward()  # expect GG504; torch raises: grad can be implicitly created only for scalar outputs
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
