"""The same critics' losses on the encoder's output detached: each item's graph is its own.

The comprehension runs its element once per critic, so the two losses share no saved tensor: the first backward()
frees only its own critic's graph.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Agent:
    def __init__(self):
        self.encoder = nn.Linear(4, 4)
        self.critics = nn.ModuleList([nn.Linear(4, 1) for _ in range(2)])

    def update(self, obs, q_target):
        h = torch.tanh(self.encoder(obs)).detach()
        losses = [F.mse_loss(critic(h), q_target) for critic in self.critics]
        losses[0].backward()
        losses[1].backward()


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = Agent()
    agent.update(torch.randn(8, 4), torch.randn(8, 1))
    print("critics[1].weight.grad:", [round(v, 4) for v in agent.critics[1].weight.grad[0].tolist()])
