"""A helper's `optimizer` argument, named like an imported module, steps the critic first.

The file imports `torch.optim.optimizer` as `optimizer`, and `take_step(optimizer, loss)` names its argument the
same: `optimizer.step()` there is the argument's step. The actor loss is computed after the critic's step.
"""
import torch
import torch.nn as nn
from torch.optim import optimizer


class Agent:
    def __init__(self):
        self.critic = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
        self.actor = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters(), lr=1e-3)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=1e-3)

    def learn(self, state, action, target):
        critic_loss = self.critic_loss(state, action, target)
        self.take_step(self.critic_optimizer, critic_loss)
        actor_loss = self.actor_loss(state)
        self.take_step(self.actor_optimizer, actor_loss)

    def critic_loss(self, state, action, target):
        q = self.critic(torch.cat((state, action), 1))
        return ((q - target) ** 2).mean()

    def actor_loss(self, state):
        return -self.critic(torch.cat((state, self.actor(state)), 1)).mean()

    def take_step(self, optimizer, loss):
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = Agent()
    agent.learn(torch.randn(8, 3), torch.randn(8, 2), torch.randn(8, 1))
    print("actor weight sum:", round(agent.actor[0].weight.sum().item(), 4))
