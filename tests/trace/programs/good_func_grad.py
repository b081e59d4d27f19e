import torch
from torch.func import grad

x = torch.tensor([0.5, -1.0, 2.0])
g = grad(lambda t: torch.sigmoid(t).sum())(x)
print(g)
