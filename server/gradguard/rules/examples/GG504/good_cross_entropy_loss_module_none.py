"""`nn.CrossEntropyLoss(reduction="none")`, the per-sample losses averaged before backward()."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 3)
criterion = nn.CrossEntropyLoss(reduction="none")
x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
target = torch.tensor([2, 0, 1])
loss = criterion(model(x), target)
loss.mean().backward()
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
