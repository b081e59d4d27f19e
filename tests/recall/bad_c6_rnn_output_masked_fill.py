"""Category 6: padded positions of a GRU encoder's output are zeroed in place, then projected."""
import torch
from torch import nn


class SequenceEncoder(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.rnn = nn.GRU(dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x, pad_mask):
        h, _ = self.rnn(x)
        scores = torch.tanh(h)
        scores.masked_fill_(pad_mask.unsqueeze(-1), 0.0)  # BUG
        return self.out(scores).squeeze(-1)


if __name__ == "__main__":
    enc = SequenceEncoder(4, 6)
    mask = torch.zeros(2, 5, dtype=torch.bool)
    mask[:, 3:] = True
    enc(torch.randn(2, 5, 4), mask).sum().backward()
