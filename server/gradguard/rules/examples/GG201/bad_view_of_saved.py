"""`head.mul_(2)` where `head = y[:2]` is a view of a tanh output.

A view shares memory (and the version counter) with its base: changing the view changes `y`.
"""
import torch

x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
y = torch.tanh(x)
head = y[:2]
head.mul_(2)  # expect GG201
loss = y.sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("y:", [round(v, 4) for v in y.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
