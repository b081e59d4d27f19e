"""`e[:2] = 3.0` on an expanded tensor: the slice still has rows sharing memory."""
import torch

row = torch.tensor([[1.0, 2.0]])
e = row.expand(3, 2)
e[:2] = 3.0  # expect GG303; torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("e:", e.tolist())
