"""`torch.add(a, b, out=c)` while `a` requires grad.

`out=` writes the result into an existing tensor, which autograd cannot record.
"""
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
c = torch.empty(2)
torch.add(a, b, out=c)  # expect GG103; torch raises: functions with out=... arguments don't support automatic differentiation
loss = (c * c).sum()
loss.backward()
print("loss:", loss.item())
print("a.grad:", a.grad.tolist())
