"""`e = e.mul(2)` on an expanded tensor under `torch.no_grad()`."""
import torch

x = torch.tensor([[0.5], [1.5]])
with torch.no_grad():
    e = x.expand(2, 3)
    e = e.mul(2)
print("e:", e.tolist())
