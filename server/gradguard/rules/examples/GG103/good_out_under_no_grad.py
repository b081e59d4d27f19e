"""`out=` under `torch.no_grad()`, with arguments that require grad.

With grad mode off nothing is recorded, so `out=` is allowed: a typical evaluation loop that reuses
one buffer.
"""
import torch

w = torch.tensor([[1.0], [-1.0]], requires_grad=True)
batches = [torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 1.0]])]
result = torch.empty(1, 1)
with torch.no_grad():
    for x in batches:
        torch.matmul(x, w, out=result)
        print("prediction:", result.item())
