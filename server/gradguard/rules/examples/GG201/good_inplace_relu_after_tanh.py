"""`nn.ReLU(inplace=False)` after `nn.Tanh()`."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(3, 2),
    nn.Tanh(),
    nn.ReLU(inplace=False),
)
x = torch.tensor([[1.0, -2.0, 0.5]])
out = model(x)
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("bias.grad:", [round(v, 4) for v in model[0].bias.grad.tolist()])
