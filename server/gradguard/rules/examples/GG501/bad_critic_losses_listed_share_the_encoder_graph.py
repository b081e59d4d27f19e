"""Each critic's loss, made by one list comprehension, backwarded one by one through a shared encoder.

Each item has a graph of its own (its critic's `linear`, its `mse_loss`) but all of them go through the encoder's
output, computed once before the comprehension: the first backward() frees the encoder's saved tensors, and the
second one goes through them again.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Agent:
    def __init__(self):
        self.encoder = nn.Linear(4, 4)
        self.critics = nn.ModuleList([nn.Linear(4, 1) for _ in range(2)])

    def update(self, obs, q_target):
        h = torch.tanh(self.encoder(obs))
        losses = [F.mse_loss(critic(h), q_target) for critic in self.critics]
        losses[0].backward()
        losses[1].backward()  # expect GG501; torch raises: Trying to backward through the graph a second time


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = Agent()
    agent.update(torch.randn(8, 4), torch.randn(8, 1))
    print("critics[1].weight.grad:", [round(v, 4) for v in agent.critics[1].weight.grad[0].tolist()])
