"""The actor loss is `torch.min(*[critic(x) for critic in critics])`, made after the critics step.

The twin of the bad example: the policy loss is computed once the critic updates are done, so the critics' saved
weights are the stepped ones and the policy's backward() runs.
"""
import torch
import torch.nn as nn


class Agent(nn.Module):
    def __init__(self):
        super().__init__()
        self.policy = nn.Linear(4, 2)
        self.critics = nn.ModuleList([nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 1)) for _ in range(2)])
        self.policy_opt = torch.optim.Adam(self.policy.parameters(), lr=1e-3)
        self.critic_opts = [torch.optim.Adam(c.parameters(), lr=1e-3) for c in self.critics]

    def perform_update(self, loss, opt):
        opt.zero_grad()
        loss.backward()
        opt.step()

    def policy_loss(self, obs, action):
        q = torch.min(*[critic(torch.cat([obs, action], -1)) for critic in self.critics])
        return -q.mean()

    def critic_losses(self, obs, act, target):
        return [((critic(torch.cat([obs, act], -1)) - target) ** 2).mean() for critic in self.critics]

    def update(self, obs, act, target):
        critic_losses = self.critic_losses(obs, act, target)
        for critic_loss, critic_opt in zip(critic_losses, self.critic_opts):
            self.perform_update(critic_loss, critic_opt)
        policy_loss = self.policy_loss(obs, self.policy(obs))
        self.perform_update(policy_loss, self.policy_opt)


torch.manual_seed(0)
agent = Agent()
agent.update(torch.randn(16, 4), torch.randn(16, 2), torch.randn(16, 1))
print("policy.weight[0]:", [round(v, 4) for v in agent.policy.weight[0].tolist()])
