"""Two critics' values spread into `torch.min(*qs)`; the critics step before the actor's backward().

`qs` is a tuple of both critics' values on the actor's action, so `torch.min(*qs)` is `torch.min(q1, q2)`: both
critics' linear layers saved their weights for the gradient of the action. The critics' optimizer steps them in
place between that forward pass and the actor loss's backward().
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
actor = nn.Linear(6, 6)
critic1, critic2 = nn.Linear(6, 1), nn.Linear(6, 1)
critic_opt = torch.optim.SGD(list(critic1.parameters()) + list(critic2.parameters()), lr=0.1)
obs, target = torch.randn(16, 6), torch.randn(16, 1)
act = actor(obs)
qs = (critic1(act), critic2(act))
actor_loss = -torch.min(*qs).mean()
critic_loss = ((critic1(obs) - target) ** 2).mean() + ((critic2(obs) - target) ** 2).mean()
critic_opt.zero_grad()
critic_loss.backward()
critic_opt.step()  # expect GG201
actor_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("actor.bias.grad:", [round(v, 4) for v in actor.bias.grad.tolist()])
