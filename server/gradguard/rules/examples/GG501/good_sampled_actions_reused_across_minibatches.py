"""PPO-style updates reuse the actions a Categorical sampled in the rollout, minibatch after minibatch.

`action = Categorical(probs).sample()` runs under no_grad: the stored actions carry no graph, so each
minibatch's backward() goes through its own forward only.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical

torch.manual_seed(0)
policy = nn.Linear(4, 2)
optimizer = torch.optim.SGD(policy.parameters(), lr=0.1)
states = torch.randn(6, 4)
actions = Categorical(F.softmax(policy(states), dim=1)).sample()
for start in (0, 3):
    dist = Categorical(F.softmax(policy(states[start:start + 3]), dim=1))
    loss = -dist.log_prob(actions[start:start + 3]).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print("loss:", round(loss.item(), 4))
