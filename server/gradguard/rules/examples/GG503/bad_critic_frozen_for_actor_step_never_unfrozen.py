"""A DDPG learn() step freezes the critic for the actor's update and never unfreezes it.

`for p in self.critic.parameters(): p.requires_grad = False` stays in force: the next call's critic loss
is computed from frozen parameters and inputs that do not require grad, and its backward() raises.
"""
import torch
import torch.nn as nn


class Agent:
    def __init__(self):
        self.actor = nn.Linear(3, 1)
        self.critic = nn.Linear(4, 1)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters())
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters())

    def learn(self, s, a, target_q):
        critic_loss = ((target_q - self.critic(torch.cat([s, a], 1))) ** 2).mean()
        self.critic_optimizer.zero_grad()
        critic_loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad
        self.critic_optimizer.step()
        for p in self.critic.parameters():
            p.requires_grad = False
        actor_loss = -self.critic(torch.cat([s, self.actor(s)], 1)).mean()
        self.actor_optimizer.zero_grad()
        actor_loss.backward()
        self.actor_optimizer.step()
        return critic_loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = Agent()
    for _ in range(3):
        agent.learn(torch.randn(5, 3), torch.randn(5, 1), torch.randn(5, 1))
