"""Accumulating `acc += x_i * w` into a `torch.zeros` tensor in a loop.

The sum is recorded as in-place additions; addition needs nothing saved, and the products saved `w`
and the inputs, which are never changed.
"""
import torch

w = torch.tensor([0.5, -1.0], requires_grad=True)
xs = [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), torch.tensor([5.0, 6.0])]
acc = torch.zeros(2)
for x in xs:
    acc += x * w
acc.sum().backward()
print("acc:", acc.tolist())
print("w.grad:", w.grad.tolist())
