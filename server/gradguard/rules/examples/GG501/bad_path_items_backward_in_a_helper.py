"""Integrated gradients whose helper calls backward() on the same scaled copy in every iteration.

Only one copy is made, before the loop: the second backward() goes through the multiplication that made it, whose
saved tensors the first backward() freed.
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
    out.backward(gradient=torch.ones(1, 2))  # expect GG501; torch raises: Trying to backward through the graph a second time


image = torch.rand(1, 4, requires_grad=True)
total = torch.zeros(1, 4)
scaled = scaled_copies(image, 4)[2].exp()
for k in range(5):
    gradients(scaled)
    total += image.grad
    image.grad = None
print("integrated:", total)
