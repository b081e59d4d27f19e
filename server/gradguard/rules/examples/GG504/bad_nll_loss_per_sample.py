"""backward() on `F.nll_loss(..., reduction="none")` after log_softmax: one loss per sample."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Linear(2, 3)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
target = torch.tensor([1, 2])
loss = F.nll_loss(F.log_softmax(model(x), dim=1), target, reduction="none")
loss.backward()  # expect GG504; torch raises: grad can be implicitly created only for scalar outputs
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
