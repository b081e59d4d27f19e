"""`nn.ReLU(inplace=True)` applied to an expanded tensor."""
import torch
import torch.nn as nn

act = nn.ReLU(inplace=True)
x = torch.tensor([[-1.0, 2.0, -3.0]])
y = act(x.expand(2, 3))  # expect GG303; torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("y:", y.tolist())
