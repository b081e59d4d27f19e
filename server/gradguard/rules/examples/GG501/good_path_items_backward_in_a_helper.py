"""Integrated gradients: a helper calls backward() on each scaled copy of the input, one per iteration.

The copies are made by a list comprehension, each by its own multiplication, so each backward() goes through the
graph of its own copy (pytorch-cnn-visualizations' IntegratedGradients).
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))


def scaled_copies(image, steps):
    return [image * (k / steps) for k in range(steps + 1)]


def gradients(scaled_image):
    out = model(scaled_image)
    model.zero_grad()
    out.backward(gradient=torch.ones(1, 2))


image = torch.rand(1, 4, requires_grad=True)
total = torch.zeros(1, 4)
for scaled in scaled_copies(image, 4):
    gradients(scaled)
    total += image.grad
    image.grad = None
print("integrated:", total)
