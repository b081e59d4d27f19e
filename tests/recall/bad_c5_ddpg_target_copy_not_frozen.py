"""DDPG agent: soft update of the target critic in place; the target copy was never frozen (bad)."""
import copy
import torch
import torch.nn as nn


class DDPG:
    def __init__(self, critic, critic_optim, tau=0.005, gamma=0.99):
        self.critic = critic
        self.critic_target = copy.deepcopy(critic)
        self.critic_optim = critic_optim
        self.tau, self.gamma = tau, gamma

    def soft_update(self):
        for tp, p in zip(self.critic_target.parameters(), self.critic.parameters()):
            tp.mul_(1 - self.tau).add_(p.detach(), alpha=self.tau)  # BUG

    def update(self, s, r, s2):
        with torch.no_grad():
            target_q = r + self.gamma * self.critic_target(s2)
        loss = (self.critic(s) - target_q).pow(2).mean()
        self.critic_optim.zero_grad()
        loss.backward()
        self.critic_optim.step()
        self.soft_update()


if __name__ == "__main__":
    torch.manual_seed(0)
    critic = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    agent = DDPG(critic, torch.optim.Adam(critic.parameters()))
    for _ in range(2):
        agent.update(torch.randn(5, 4), torch.randn(5, 1), torch.randn(5, 4))
    print("done")
