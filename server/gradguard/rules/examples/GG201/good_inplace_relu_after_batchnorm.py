"""`F.relu(h, inplace=True)` after `nn.BatchNorm1d`: batch norm does not save its output."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
fc = nn.Linear(3, 2)
bn = nn.BatchNorm1d(2)
x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0], [0.5, 0.5, -2.0]])
h = bn(fc(x))
h = F.relu(h, inplace=True)
h.sum().backward()
print("h:", [[round(v, 4) for v in row] for row in h.tolist()])
print("fc.weight.grad:", [[round(v, 4) for v in row] for row in fc.weight.grad.tolist()])
