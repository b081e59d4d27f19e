"""The script's loop appends critic values to a global module's list; update() never empties it.

The second episode's loss still sums the first episode's values, whose graph the first backward() freed.
"""
import torch
import torch.nn as nn


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.saved_values = []
        self.linear = nn.Linear(3, 1)

    def forward(self, state):
        return self.linear(state)


critic = Critic()
optimizer = torch.optim.Adam(critic.parameters())


def update(returns):
    loss = torch.stack([(v - r) ** 2 for v, r in zip(critic.saved_values, returns)]).sum()
    optimizer.zero_grad()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    optimizer.step()
    return loss.item()


torch.manual_seed(0)
for episode in range(3):
    returns = []
    for step in range(4):
        critic.saved_values.append(critic(torch.randn(1, 3)).squeeze())
        returns.append(1.0)
    update(returns * (episode + 1))
