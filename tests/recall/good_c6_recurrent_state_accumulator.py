"""Category 6: an unrolled recurrent refinement accumulates into its state in place after a layer saved it."""
import torch
from torch import nn


class IterativeRefiner(nn.Module):
    def __init__(self, dim, steps=3):
        super().__init__()
        self.init = nn.Linear(dim, dim)
        self.update = nn.Linear(dim, dim)
        self.steps = steps

    def forward(self, x):
        state = torch.tanh(self.init(x))
        for _ in range(self.steps):
            delta = self.update(state)
            state = state + 0.1 * delta
        return state


if __name__ == "__main__":
    m = IterativeRefiner(5)
    m(torch.randn(2, 5)).sum().backward()
