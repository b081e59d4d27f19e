"""An actor-critic trainer steps the critic's optimizer before the policy loss's backward().

The networks come in as constructor arguments, so the trainer's file never shows their layers; it does show
`self.qf1.parameters()` going to an optimizer, so `self.qf1` is a model, and its forward saved those parameters.
The policy loss goes through `self.qf1`, and `qf1_optimizer.step()` changes them in place first (rlkit's SAC).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Trainer:
    def __init__(self, policy, qf1):
        self.policy = policy
        self.qf1 = qf1
        self.policy_optimizer = torch.optim.SGD(self.policy.parameters(), lr=0.1)
        self.qf1_optimizer = torch.optim.SGD(self.qf1.parameters(), lr=0.1)

    def train_step(self, obs, actions, q_target):
        new_actions = self.policy(obs)
        policy_loss = -self.qf1(torch.cat([obs, new_actions], 1)).mean()
        qf1_loss = F.mse_loss(self.qf1(torch.cat([obs, actions], 1)), q_target)
        self.qf1_optimizer.zero_grad()
        qf1_loss.backward()
        self.qf1_optimizer.step()  # expect GG201
        self.policy_optimizer.zero_grad()
        policy_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        self.policy_optimizer.step()


torch.manual_seed(0)
trainer = Trainer(nn.Linear(3, 1), nn.Linear(4, 1))
trainer.train_step(torch.randn(8, 3), torch.randn(8, 1), torch.randn(8, 1))
print("done")
