"""Updates reuse actions drawn with `rsample()` during the rollout, minibatch after minibatch.

`rsample()` keeps the graph of the policy's forward: the first backward() frees it, and the second
minibatch's loss goes through it again.
"""
import torch
import torch.nn as nn
from torch.distributions import Normal

torch.manual_seed(0)
policy = nn.Linear(4, 2)
critic = nn.Linear(2, 1)
optimizer = torch.optim.SGD(critic.parameters(), lr=0.1)
states = torch.randn(6, 4)
actions = Normal(policy(states), 1.0).rsample()
for start in (0, 3):
    loss = critic(actions[start:start + 3]).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
    optimizer.step()
