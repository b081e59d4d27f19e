"""A trainer's method steps the module-level critic before the actor's backward() through it.

The script builds its networks and their optimizers once at module level, and `Trainer.update` uses them as
globals (the driver at the bottom could as well be in another file). The actor's loss goes through the critic, whose
linear layer saved its weight for the gradient of its input; `critic_opt.step()` changes that weight in place first.
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
        actor_loss = -critic(torch.cat([obs, actor(obs)], 1)).mean()
        critic_opt.zero_grad()
        q_loss.backward()
        critic_opt.step()  # expect GG201
        actor_opt.zero_grad()
        actor_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        actor_opt.step()


if __name__ == "__main__":
    Trainer().update(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
    print("actor.weight[0]:", [round(v, 4) for v in actor.weight[0].tolist()])
