"""Expanded tensors used only as inputs of out-of-place ops (broadcasting)."""
import torch

bias = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
y = x + bias.expand(3, 2)
y = y * bias.expand_as(y)
y.sum().backward()
print("y:", y.tolist())
print("bias.grad:", bias.grad.tolist())
