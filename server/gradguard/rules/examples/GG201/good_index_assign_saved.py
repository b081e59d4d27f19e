"""Clone the exp output before writing into it.

The clone is a new node; exp's saved output is left alone, and the overwritten position gets a zero
gradient.
"""
import torch

x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = torch.exp(x)
y = y.clone()
y[0] = 0.0
loss = y.sum()
loss.backward()
print("y:", [round(v, 4) for v in y.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
