"""A loss function decorated with `@torch.no_grad()`, used for training."""
import torch
import torch.nn as nn


@torch.no_grad()
def compute_loss(model, x, y):
    return ((model(x) - y) ** 2).mean()


torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0]])
y = torch.tensor([[0.5]])
loss = compute_loss(model, x, y)
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("loss:", round(loss.item(), 4))
print("bias.grad:", [round(v, 4) for v in model.bias.grad.tolist()])
