"""Category 6: REINFORCE with the log-probabilities on the policy module, emptied after each update."""
import torch
import torch.nn as nn
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
        self.log_probs = []

    def act(self, state):
        dist = Categorical(logits=self.net(state))
        action = dist.sample()
        self.log_probs.append(dist.log_prob(action))
        return action.item()


def update(policy, optimizer, episode_return):
    loss = -torch.stack(policy.log_probs).sum() * episode_return
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    policy.log_probs.clear()


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = Policy()
    optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
    for episode in range(2):
        for t in range(3):
            policy.act(torch.randn(4))
        update(policy, optimizer, 1.0)
    print("done")
