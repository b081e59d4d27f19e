"""Category 2: a lambda activation chosen by a constructor's default flag saves its output; the fix."""
import torch
import torch.nn as nn


class Cell(nn.Module):
    def __init__(self, d, squash=True):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.squash = (lambda t: torch.tanh(t)) if squash else (lambda t: t)

    def forward(self, x):
        h = self.squash(self.fc(x))
        h = torch.cat([torch.zeros_like(h[:, :1]), h[:, 1:]], dim=1)
        return h


if __name__ == "__main__":
    m = Cell(4)
    m(torch.randn(2, 4)).sum().backward()
