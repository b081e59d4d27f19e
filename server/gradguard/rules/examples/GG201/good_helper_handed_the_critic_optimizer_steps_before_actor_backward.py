"""A helper handed the critic's optimizer steps it; the actor loss is made after, in a new pass.

`take_step(optimizer, loss)` runs backward() and `optimizer.step()`. `learn` updates the critic first, then
computes the actor loss through the updated critic: no graph saved the weights the step changed.
"""
import torch
import torch.nn as nn


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
