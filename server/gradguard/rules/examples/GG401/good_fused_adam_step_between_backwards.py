"""A fused Adam step after both backward() calls: each graph uses the weights it saved.

The step comes once the second batch's backward() has used the weight its forward pass saved.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.1, fused=True)
x1, x2 = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 1.0]])
loss1 = model(x1).pow(2).sum()
loss2 = model(x2).pow(2).sum()
loss1.backward()
loss2.backward()
opt.step()
print("first layer grad:", [round(v, 4) for v in model[0].weight.grad.flatten().tolist()])
