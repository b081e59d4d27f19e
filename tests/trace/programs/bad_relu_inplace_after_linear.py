import torch
import torch.nn as nn

torch.manual_seed(0)
first, second = nn.Linear(3, 4), nn.Linear(4, 1)
act = nn.ReLU(inplace=True)
x = torch.randn(2, 3)
h = first(x)
out = second(h)
act(h)  # expect GG201
out.sum().backward()
