"""A training step whose forward pass sits in a `torch.no_grad()` block copied from evaluation code."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
y = torch.tensor([[1.0], [2.0]])
with torch.no_grad():
    pred = model(x)
loss = ((pred - y) ** 2).mean()
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("loss:", round(loss.item(), 4))
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
