"""The attack as a function of the caller's images, never detaching `x_adv`.

The first step's flag is set on a clone (a leaf, whatever the images), the second step's on the previous
step's sum.
"""
import torch
import torch.nn as nn


def pgd(model, images, labels, eps=0.03, alpha=0.01, steps=5):
    x_adv = images.clone()
    for _ in range(steps):
        x_adv.requires_grad = True  # expect GG104; torch raises: you can only change requires_grad flags of leaf variables
        loss = nn.functional.cross_entropy(model(x_adv), labels)
        grad, = torch.autograd.grad(loss, x_adv)
        x_adv = x_adv + alpha * grad.sign()
        x_adv = images + torch.clamp(x_adv - images, -eps, eps)
    return x_adv


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
print(pgd(model, torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1])).shape)
