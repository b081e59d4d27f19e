"""A loss function without `@torch.no_grad()`, used for training."""
import torch
import torch.nn as nn


def compute_loss(model, x, y):
    return ((model(x) - y) ** 2).mean()


torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0]])
y = torch.tensor([[0.5]])
loss = compute_loss(model, x, y)
loss.backward()
print("loss:", round(loss.item(), 4))
print("bias.grad:", [round(v, 4) for v in model.bias.grad.tolist()])
