"""The actor-critic trainer runs both backward() passes before either optimizer steps.

Each loss backpropagates through the parameters its forward saved while they are still unchanged.
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
        self.policy_optimizer.zero_grad()
        policy_loss.backward()
        self.qf1_optimizer.zero_grad()
        qf1_loss.backward()
        self.policy_optimizer.step()
        self.qf1_optimizer.step()


torch.manual_seed(0)
trainer = Trainer(nn.Linear(3, 1), nn.Linear(4, 1))
trainer.train_step(torch.randn(8, 3), torch.randn(8, 1), torch.randn(8, 1))
print("policy weight:", [round(v, 4) for v in trainer.policy.weight.flatten().tolist()])
