"""The critic's loss stops at the encoder output (`D(z.detach())`); the encoder's graph stays whole.

The prior sampler is `torch.randn_like` or `torch.rand_like` by a setting: either gives a sample without a graph,
so nothing ties the critic's loss to the encoder: its backward() leaves the encoder's graph whole.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
DISTRIBUTION = "normal"


class AdversarialAutoencoder:
    def __init__(self):
        self.Q = nn.Linear(4, 3)
        self.P = nn.Linear(3, 4)
        self.D = nn.Linear(3, 1)
        if DISTRIBUTION == "normal":
            self.sample_like = torch.randn_like
        elif DISTRIBUTION == "uniform":
            self.sample_like = torch.rand_like
        else:
            raise ValueError(DISTRIBUTION)

    def critic_loss(self, z):
        prior = self.sample_like(z)
        real, fake = torch.sigmoid(self.D(prior)), torch.sigmoid(self.D(z.detach()))
        loss = -torch.mean(torch.log(real) + torch.log(1 - fake))
        loss.backward()
        return loss

    def run(self, x):
        z = self.Q(x)
        self.critic_loss(z)
        loss = ((self.P(z) - x) ** 2).mean()
        loss.backward()
        return loss


print("loss:", round(AdversarialAutoencoder().run(torch.randn(2, 4)).item(), 4))
