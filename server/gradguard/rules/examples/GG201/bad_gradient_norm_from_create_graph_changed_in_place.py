"""A gradient made with `create_graph=True` requires grad: `norms -= margin` changes what `norm` saved.

An energy model's gradient penalty: the gradient of the energy with respect to the action is made with
`create_graph=True`, so the penalty can backpropagate through it. `torch.linalg.norm` keeps its output for
backward, and subtracting the margin in place changes that output.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
energy_net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
obs = torch.randn(4, 5)
action = torch.rand(4, 3, requires_grad=True)
energy = energy_net(torch.cat([obs, action], -1)).sum()
de_da = torch.autograd.grad(energy, action, create_graph=True)[0]
norms = torch.linalg.norm(de_da, dim=-1)
norms -= 1.0  # expect GG201
penalty = norms.pow(2).mean()
penalty.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("first layer grad:", [round(v, 4) for v in energy_net[0].weight.grad[0].tolist()])
