"""The same PGD attack, each step's result detached: `x_adv` is a leaf when its flag is set."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
images = torch.randn(5, 4)
labels = torch.tensor([0, 1, 2, 0, 1])
x_adv = images.clone()
for step in range(10):
    x_adv.requires_grad = True
    loss = nn.functional.cross_entropy(model(x_adv), labels)
    grad, = torch.autograd.grad(loss, x_adv)
    x_adv = x_adv.detach() + 0.01 * grad.sign()
    x_adv = torch.min(torch.max(x_adv, images - 0.03), images + 0.03)
print(x_adv.shape)
