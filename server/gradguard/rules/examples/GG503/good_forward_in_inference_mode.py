"""backward() on a loss whose forward pass ran with grad mode on."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
x = torch.tensor([[1.0, 0.0, -1.0]])
out = model(x)
loss = out.sum()
loss.backward()
print("bias.grad:", model.bias.grad.tolist())
