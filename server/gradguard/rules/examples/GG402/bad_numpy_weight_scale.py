"""Halving a layer's weight through `weight.detach().numpy()` before backward()."""
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
x = torch.tensor([[1.0, -1.0], [2.0, 0.5]])
out = model(x).sum()
true_grad = torch.autograd.grad(out, model[0].bias, retain_graph=True)[0]
w_np = model[2].weight.detach().numpy()
w_np *= 0.5  # expect GG402
out.backward()
print("head weight:", [round(float(v), 4) for v in w_np.flatten()])
print("first bias grad:", [round(v, 4) for v in model[0].bias.grad.tolist()])
assert not torch.allclose(model[0].bias.grad, true_grad)  # silently wrong
