"""`x.repeat(3, 1)` copies the data, unlike `expand`; in-place ops on the result are fine."""
import torch

x = torch.tensor([[1.0, 2.0]])
r = x.repeat(3, 1)
r += torch.tensor([[0.0], [10.0], [20.0]])
r.mul_(2)
print("r:", r.tolist())
