"""Critic optimizers made by a comprehension step before the actor's backward() through those critics.

A twin-critic SAC: the critics are written out in a list, their optimizers made by a comprehension over it. The
actor's loss goes through every critic (`critics[i](cat(obs, actor(obs)))`), whose linear layer saved its weight for
the gradient of its input; stepping the critics' optimizers first changes those weights in place.
"""
import torch
import torch.nn as nn


class Agent:
    def __init__(self):
        self.actor = nn.Linear(3, 2)
        self.critics = [nn.Linear(5, 1), nn.Linear(5, 1)]
        self.actor_opt = torch.optim.Adam(self.actor.parameters())
        self.critic_opts = [torch.optim.Adam(critic.parameters()) for critic in self.critics]

    def update(self, obs, act, target):
        q_loss = 0
        for i in range(len(self.critics)):
            q_loss = q_loss + (self.critics[i](torch.cat([obs, act], 1)) - target).pow(2).mean()
        new_act = self.actor(obs)
        q_new = [self.critics[i](torch.cat([obs, new_act], 1)) for i in range(len(self.critics))]
        actor_loss = -torch.cat(q_new, 1).mean()
        for i in range(len(self.critics)):
            self.critic_opts[i].zero_grad()
        q_loss.backward()
        for i in range(len(self.critics)):
            self.critic_opts[i].step()  # expect GG201
        self.actor_opt.zero_grad()
        actor_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        self.actor_opt.step()


torch.manual_seed(0)
agent = Agent()
agent.update(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
print("actor.weight[0]:", [round(v, 4) for v in agent.actor.weight[0].tolist()])
