"""A helper handed the critic's optimizer steps it before the actor's backward() through the critic.

`take_step(optimizer, loss)` runs backward() and `optimizer.step()`. `learn` computes both losses first, then hands
the critic's optimizer to it: the step changes the critic's weights in place, and the actor loss, which went
through the critic, still needs them (a SAC agent's update). The call that hands the optimizer is what to move.
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
        actor_loss = self.actor_loss(state)
        self.take_step(self.critic_optimizer, critic_loss)  # expect GG201
        self.take_step(self.actor_optimizer, actor_loss)

    def critic_loss(self, state, action, target):
        q = self.critic(torch.cat((state, action), 1))
        return ((q - target) ** 2).mean()

    def actor_loss(self, state):
        return -self.critic(torch.cat((state, self.actor(state)), 1)).mean()

    def take_step(self, optimizer, loss):
        optimizer.zero_grad()
        loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = Agent()
    agent.learn(torch.randn(8, 3), torch.randn(8, 2), torch.randn(8, 1))
    print("actor weight sum:", round(agent.actor[0].weight.sum().item(), 4))
