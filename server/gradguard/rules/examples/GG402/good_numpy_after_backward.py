"""Changing a tensor through its NumPy view after backward() has run."""
import numpy as np
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
loss.backward()
arr = x.detach().numpy()
arr -= 0.1 * x.grad.numpy()
print("x:", [round(float(v), 4) for v in arr.flatten()])
print("x.grad:", x.grad.tolist())
