"""Two critics' values spread into `torch.min(*qs)`, computed after the critics' step.

The twin of the bad example: the actor loss is computed once the critics have stepped, so the weights the critics'
linear layers saved are the stepped ones and the actor loss's backward() runs.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
actor = nn.Linear(6, 6)
critic1, critic2 = nn.Linear(6, 1), nn.Linear(6, 1)
critic_opt = torch.optim.SGD(list(critic1.parameters()) + list(critic2.parameters()), lr=0.1)
obs, target = torch.randn(16, 6), torch.randn(16, 1)
act = actor(obs)
critic_loss = ((critic1(obs) - target) ** 2).mean() + ((critic2(obs) - target) ** 2).mean()
critic_opt.zero_grad()
critic_loss.backward()
critic_opt.step()
qs = (critic1(act), critic2(act))
actor_loss = -torch.min(*qs).mean()
actor_loss.backward()
print("actor.bias.grad:", [round(v, 4) for v in actor.bias.grad.tolist()])
