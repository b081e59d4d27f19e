"""A trainer's method makes the actor's loss through the module-level critic after the critic's step.

The critic's weight that the actor's loss saves is the one `critic_opt.step()` has already written: backward() runs.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
actor = nn.Linear(3, 2)
critic = nn.Linear(5, 1)
actor_opt = torch.optim.Adam(actor.parameters())
critic_opt = torch.optim.Adam(critic.parameters())


class Trainer:
    def update(self, obs, act, target):
        q_loss = (critic(torch.cat([obs, act], 1)) - target).pow(2).mean()
        critic_opt.zero_grad()
        q_loss.backward()
        critic_opt.step()
        actor_loss = -critic(torch.cat([obs, actor(obs)], 1)).mean()
        actor_opt.zero_grad()
        actor_loss.backward()
        actor_opt.step()


if __name__ == "__main__":
    Trainer().update(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
    print("actor.weight[0]:", [round(v, 4) for v in actor.weight[0].tolist()])
