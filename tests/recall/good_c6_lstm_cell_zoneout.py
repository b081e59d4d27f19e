"""Category 6: a decoder loop applies a zoneout-style decay to the LSTMCell hidden state in place after the
output layer used it."""
import torch
from torch import nn


class Decoder(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.cell = nn.LSTMCell(dim, hidden)
        self.out = nn.Linear(hidden, dim)

    def forward(self, x, steps=3):
        h = torch.zeros(x.shape[0], self.cell.hidden_size)
        c = torch.zeros_like(h)
        outs = []
        for _ in range(steps):
            h, c = self.cell(x, (h, c))
            x = self.out(h)
            h = h * 0.9
            outs.append(x)
        return torch.stack(outs, 1)


if __name__ == "__main__":
    dec = Decoder(3, 4)
    dec(torch.randn(2, 3)).sum().backward()
