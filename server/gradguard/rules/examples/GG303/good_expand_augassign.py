"""`e = e + 1` where `e = bias.expand(4, 3)`: the sum is a new, ordinary 4x3 tensor."""
import torch

bias = torch.tensor([[1.0, 2.0, 3.0]])
e = bias.expand(4, 3)
e = e + 1
print("e:", e.tolist())
