"""An augmentation module scales the batch in place (`wav *= gains`) when a coin flip says so.

The class builds no layer, and its forward decides with a number of its own (`np.random.rand()`, not a tensor
mask) whether to change the whole batch: a data augmentation, which the training step applies to what the data
loader gave. That batch requires no grad and no op saved it, so the in-place scaling breaks nothing and backward()
runs.
"""
import numpy as np

import torch
import torch.nn as nn


class RandomGain(nn.Module):
    def __init__(self, p=0.5, low=0.5, high=1.5):
        super().__init__()
        self.p = p
        self.low = low
        self.high = high

    def forward(self, wav):
        if self.training and np.random.rand() < self.p:
            gains = torch.empty(wav.shape[0], 1, device=wav.device).uniform_(self.low, self.high)
            wav *= gains
        return wav


if __name__ == "__main__":
    np.random.seed(0)
    torch.manual_seed(0)
    augment = RandomGain(p=1.0)
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1))
    loader = torch.utils.data.DataLoader(torch.randn(8, 4), batch_size=4)
    for batch in loader:
        batch = augment(batch)
        model(batch).pow(2).mean().backward()
    print("grad:", [round(v, 4) for v in model[0].weight.grad.flatten().tolist()[:3]])
