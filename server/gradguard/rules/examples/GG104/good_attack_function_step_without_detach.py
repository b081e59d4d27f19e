"""The attack as a function, detaching each step's result before its flag is set again."""
import torch
import torch.nn as nn


def pgd(model, images, labels, eps=0.03, alpha=0.01, steps=5):
    x_adv = images.clone()
    for _ in range(steps):
        x_adv.requires_grad = True
        loss = nn.functional.cross_entropy(model(x_adv), labels)
        grad, = torch.autograd.grad(loss, x_adv)
        x_adv = x_adv.detach() + alpha * grad.sign()
        x_adv = images + torch.clamp(x_adv - images, -eps, eps)
    return x_adv


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
print(pgd(model, torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1])).shape)
