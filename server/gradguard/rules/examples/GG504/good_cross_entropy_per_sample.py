"""Per-sample cross-entropy, averaged to one number before backward()."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Linear(2, 3)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
target = torch.tensor([0, 1, 2, 0])
loss = F.cross_entropy(model(x), target, reduction="none")
loss.mean().backward()
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
