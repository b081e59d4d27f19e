"""Clone after expanding, then assign into the first two rows."""
import torch

row = torch.tensor([[1.0, 2.0]])
e = row.expand(3, 2).clone()
e[:2] = 3.0
print("e:", e.tolist())
