"""Category 5: One optimizer over two models (`itertools.chain(a.parameters(), b.parameters())`) steps too early.

The step changes the encoder's weights in place; `aux` goes through the encoder's graph, which saved them, and
backpropagates after the step.
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F


def train(encoder, head, batches, lr=0.1):
    optimizer = torch.optim.SGD(itertools.chain(encoder.parameters(), head.parameters()), lr=lr)
    losses = []
    for x, y in batches:
        hidden = encoder(x)
        loss = F.cross_entropy(head(hidden), y)
        aux = 0.1 * hidden.pow(2).mean()
        optimizer.zero_grad()
        loss.backward(retain_graph=True)
        optimizer.step()  # BUG
        aux.backward()
        losses.append(loss.item())
    return losses


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8))
    head = nn.Linear(8, 3)
    batches = [(torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1]))]
    print("losses:", [round(v, 4) for v in train(encoder, head, batches)])
