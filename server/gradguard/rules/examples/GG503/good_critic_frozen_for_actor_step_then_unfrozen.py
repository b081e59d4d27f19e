"""A DDPG training loop freezes the critic for the actor's update and unfreezes it after, every step.

`for p in critic.parameters(): p.requires_grad = False` before the actor loss, `= True` after it: the next
step's critic loss requires grad again, and its backward() runs.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
actor, critic = nn.Linear(3, 1), nn.Linear(4, 1)
actor_optimizer = torch.optim.Adam(actor.parameters())
critic_optimizer = torch.optim.Adam(critic.parameters())
for step in range(3):
    s, a, target_q = torch.randn(5, 3), torch.randn(5, 1), torch.randn(5, 1)
    critic_loss = ((target_q - critic(torch.cat([s, a], 1))) ** 2).mean()
    critic_optimizer.zero_grad()
    critic_loss.backward()
    critic_optimizer.step()
    for p in critic.parameters():
        p.requires_grad = False
    actor_loss = -critic(torch.cat([s, actor(s)], 1)).mean()
    actor_optimizer.zero_grad()
    actor_loss.backward()
    actor_optimizer.step()
    for p in critic.parameters():
        p.requires_grad = True
print("critic loss:", round(critic_loss.item(), 4))
