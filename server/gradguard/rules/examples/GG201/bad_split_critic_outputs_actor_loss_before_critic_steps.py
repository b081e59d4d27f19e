"""The actor's loss, computed before the critics' steps, goes through halves of their split outputs.

Each critic runs once on the batch's and the actor's actions, split in two (`current_q1, current_q1a =
critic1(both).split(n)`): one half is the critic's loss, the other the actor's. Each critic's linear layer saved its weight for the gradient flowing back to `a`; the critics' steps
change those weights in place before `actor_loss.backward()` (tianshou's SAC learn() did this).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SAC:
    def __init__(self):
        torch.manual_seed(0)
        self.actor, self.critic1, self.critic2 = nn.Linear(3, 2), nn.Linear(5, 1), nn.Linear(5, 1)
        self.actor_optim = torch.optim.Adam(self.actor.parameters(), lr=0.1)
        self.critic1_optim = torch.optim.Adam(self.critic1.parameters(), lr=0.1)
        self.critic2_optim = torch.optim.Adam(self.critic2.parameters(), lr=0.1)

    def learn(self, obs, act, target_q):
        a = torch.tanh(self.actor(obs))
        both = torch.cat([torch.cat([obs, obs]), torch.cat([act, a])], 1)
        current_q1, current_q1a = self.critic1(both).split(obs.shape[0])
        current_q2, current_q2a = self.critic2(both).split(obs.shape[0])
        actor_loss = (0.2 * a.pow(2).sum(1, keepdim=True) - torch.min(current_q1a, current_q2a)).mean()
        critic1_loss = F.mse_loss(current_q1, target_q)
        self.critic1_optim.zero_grad()
        critic1_loss.backward(retain_graph=True)
        self.critic1_optim.step()  # expect GG201
        critic2_loss = F.mse_loss(current_q2, target_q)
        self.critic2_optim.zero_grad()
        critic2_loss.backward(retain_graph=True)
        self.critic2_optim.step()  # expect GG201
        self.actor_optim.zero_grad()
        actor_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        self.actor_optim.step()
        return actor_loss.item(), critic1_loss.item(), critic2_loss.item()


sac = SAC()
torch.manual_seed(1)
losses = sac.learn(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
print("losses:", [round(v, 4) for v in losses])
print("actor.weight[0]:", [round(v, 4) for v in sac.actor.weight[0].tolist()])
