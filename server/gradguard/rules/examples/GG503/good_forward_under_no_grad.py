"""A training step whose forward pass runs with grad mode on."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
y = torch.tensor([[1.0], [2.0]])
pred = model(x)
loss = ((pred - y) ** 2).mean()
loss.backward()
print("loss:", round(loss.item(), 4))
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
