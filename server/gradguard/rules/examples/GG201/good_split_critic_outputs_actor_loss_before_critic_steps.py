"""The twin: each critic runs on the batch's actions for its loss, and the actor's loss is computed after the
critics' steps, through the stepped critics (tianshou's fix commit did this).
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
        current_q1 = self.critic1(torch.cat([obs, act], 1))
        critic1_loss = F.mse_loss(current_q1, target_q)
        self.critic1_optim.zero_grad()
        critic1_loss.backward()
        self.critic1_optim.step()
        current_q2 = self.critic2(torch.cat([obs, act], 1))
        critic2_loss = F.mse_loss(current_q2, target_q)
        self.critic2_optim.zero_grad()
        critic2_loss.backward()
        self.critic2_optim.step()
        a = torch.tanh(self.actor(obs))
        current_q1a = self.critic1(torch.cat([obs, a], 1))
        current_q2a = self.critic2(torch.cat([obs, a], 1))
        actor_loss = (0.2 * a.pow(2).sum(1, keepdim=True) - torch.min(current_q1a, current_q2a)).mean()
        self.actor_optim.zero_grad()
        actor_loss.backward()
        self.actor_optim.step()
        return actor_loss.item(), critic1_loss.item(), critic2_loss.item()


sac = SAC()
torch.manual_seed(1)
losses = sac.learn(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
print("losses:", [round(v, 4) for v in losses])
print("actor.weight[0]:", [round(v, 4) for v in sac.actor.weight[0].tolist()])
