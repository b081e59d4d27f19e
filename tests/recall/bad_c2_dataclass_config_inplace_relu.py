"""Category 2: a dataclass config's default makes the ReLU in place after a mul saved its input."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class Config:
    hidden: int = 8
    inplace: bool = True


class GatedUnit(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.fc = nn.Linear(cfg.hidden, cfg.hidden)
        self.gate = nn.Linear(cfg.hidden, cfg.hidden)
        self.act = nn.ReLU(inplace=cfg.inplace)

    def forward(self, x):
        h = self.fc(x)
        gated = h * self.gate(x)
        h = self.act(h)  # BUG
        return h + gated


if __name__ == "__main__":
    m = GatedUnit(Config())
    m(torch.randn(2, 8)).sum().backward()
