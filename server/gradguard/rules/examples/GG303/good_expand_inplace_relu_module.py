"""`nn.ReLU(inplace=False)` applied to an expanded tensor."""
import torch
import torch.nn as nn

act = nn.ReLU(inplace=False)
x = torch.tensor([[-1.0, 2.0, -3.0]])
y = act(x.expand(2, 3))
print("y:", y.tolist())
