"""The script's loop appends critic values to a global module's list; update() empties it after a step.

`critic.saved_values.append(critic(state))` at the top level, `del critic.saved_values[:]` inside the
update function: the next episode's loss holds only that episode's values, whose graph is fresh.
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
    loss.backward()
    optimizer.step()
    del critic.saved_values[:]
    return loss.item()


torch.manual_seed(0)
for episode in range(3):
    returns = []
    for step in range(4):
        critic.saved_values.append(critic(torch.randn(1, 3)).squeeze())
        returns.append(1.0)
    loss = update(returns)
print("loss:", round(loss, 4))
