"""`peak = max(scores) - 1`: the row that unbind returned is read, not changed; backward() runs."""
import torch

torch.manual_seed(0)
x = torch.randn(5, requires_grad=True)
scores = x * 2
peak = max(scores) - 1
peak.backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
