"""REDQ-style update: the delayed actor update runs first; the critics' steps change what it needs.

Each update zeroes its own gradients first: what the actor's backward() leaves in the critics is cleared by their
`zero_grad()` before `q_loss.backward()`, and every optimizer steps with its own loss's gradients.
"""
import torch
import torch.nn as nn


class Agent:
    def __init__(self, n_critics=3, delay=1):
        self.actor = nn.Linear(3, 2)
        self.critics = [nn.Linear(5, 1) for _ in range(n_critics)]
        self.critic_opts = [torch.optim.Adam(c.parameters(), lr=1e-2) for c in self.critics]
        self.actor_opt = torch.optim.Adam(self.actor.parameters(), lr=1e-2)
        self.delay = delay

    def train(self, obs, act, target, step):
        q_loss = sum((c(torch.cat([obs, act], 1)) - target).pow(2).mean() for c in self.critics)
        if step % self.delay == 0:
            new_act = torch.tanh(self.actor(obs))
            q_new = torch.cat([c(torch.cat([obs, new_act], 1)) for c in self.critics], 1)
            policy_loss = -q_new.mean()

        if step % self.delay == 0:
            self.actor_opt.zero_grad()
            policy_loss.backward()
            self.actor_opt.step()
        for i in range(len(self.critics)):
            self.critic_opts[i].zero_grad()
        q_loss.backward()
        for i in range(len(self.critics)):
            self.critic_opts[i].step()


torch.manual_seed(0)
agent = Agent()
agent.train(torch.randn(8, 3), torch.randn(8, 2), torch.randn(8, 1), step=0)
print("actor:", [round(p.sum().item(), 5) for p in agent.actor.parameters()])
print("critics:", [round(p.sum().item(), 5) for c in agent.critics for p in c.parameters()])
