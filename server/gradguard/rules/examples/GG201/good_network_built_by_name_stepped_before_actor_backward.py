"""A critic built by a method picked by name is stepped; the actor loss is made after it.

`self.critic.parameters()` goes to an optimizer, so `self.critic` is a model whose forward saves them. The
critic is stepped first; the actor loss then goes through the updated critic in a pass of its own.
"""
import torch
import torch.nn as nn


class Agent:
    def __init__(self, kind="mlp"):
        self.critic = getattr(self, "build_" + kind)(5, 1)
        self.actor = getattr(self, "build_" + kind)(3, 2)
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters(), lr=1e-3)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=1e-3)

    def build_mlp(self, n_in, n_out):
        return nn.Sequential(nn.Linear(n_in, 16), nn.ReLU(), nn.Linear(16, n_out))

    def learn(self, state, action, target):
        critic_loss = ((self.critic(torch.cat((state, action), 1)) - target) ** 2).mean()
        self.critic_optimizer.zero_grad()
        critic_loss.backward()
        self.critic_optimizer.step()
        actor_loss = -self.critic(torch.cat((state, self.actor(state)), 1)).mean()
        self.actor_optimizer.zero_grad()
        actor_loss.backward()
        self.actor_optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = Agent()
    agent.learn(torch.randn(8, 3), torch.randn(8, 2), torch.randn(8, 1))
    print("actor weight sum:", round(agent.actor[0].weight.sum().item(), 4))
