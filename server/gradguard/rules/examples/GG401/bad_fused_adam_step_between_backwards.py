"""A fused Adam step between two backward() calls overwrites a weight the second graph saved.

`fused=True` updates the parameters in one kernel that does not bump autograd's version counter, so torch
cannot notice that the second layer's weight, saved by the second batch's forward pass, changed: the second
backward() runs on the new weight and its gradients are wrong, with no error.
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
opt.step()  # expect GG401
loss2.backward()
print("first layer grad:", [round(v, 4) for v in model[0].weight.grad.flatten().tolist()])
