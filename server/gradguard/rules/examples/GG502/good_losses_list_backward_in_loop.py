"""Appending each loss to a list and calling backward() once, on the sum, after the loop."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
data = [
    (torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0]])),
    (torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0]])),
]
losses = []
for x, y in data:
    loss = ((model(x) - y) ** 2).mean()
    losses.append(loss)
torch.stack(losses).sum().backward()
print("losses:", [round(l.item(), 4) for l in losses])
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
