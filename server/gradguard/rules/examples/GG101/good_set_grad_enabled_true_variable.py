"""Projecting weights onto non-negative values inside `torch.no_grad()`."""
import torch

training = True
w = torch.tensor([0.5, -0.3, 0.8], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
loss = ((w * x).sum() - 1.0) ** 2
loss.backward()
with torch.no_grad():
    w.clamp_(min=0.0)
print("loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
