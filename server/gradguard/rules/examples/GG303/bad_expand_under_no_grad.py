"""`e.mul_(2)` on an expanded tensor under `torch.no_grad()`: grad mode does not matter here."""
import torch

x = torch.tensor([[0.5], [1.5]])
with torch.no_grad():
    e = x.expand(2, 3)
    e.mul_(2)  # expect GG303; torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("e:", e.tolist())
