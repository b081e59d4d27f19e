"""Category 5: pretrained vectors copied into an embedding weight with grad mode on."""
import torch
from torch import nn


class TextEncoder(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.rnn = nn.GRU(dim, dim, batch_first=True)

    def forward(self, tokens):
        out, _ = self.rnn(self.embed(tokens))
        return out[:, -1]


encoder = TextEncoder(20, 6)
vectors = torch.randn(20, 6)
with torch.no_grad():
    encoder.embed.weight.copy_(vectors)
tokens = torch.randint(0, 20, (3, 5))
encoder(tokens).sum().backward()
