"""Category 5: _init_weights draws new values into Linear weights directly (not .data, not nn.init), grad mode on."""
import torch
from torch import nn


class TinyTransformerHead(nn.Module):
    def __init__(self, dim=8, vocab=11):
        super().__init__()
        self.dense = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.decoder = nn.Linear(dim, vocab)
        self._init_weights()

    def _init_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                m.weight.data.normal_(mean=0.0, std=0.02)
                if m.bias is not None:
                    m.bias.data.zero_()

    def forward(self, h):
        return self.decoder(self.norm(torch.relu(self.dense(h))))


if __name__ == "__main__":
    head = TinyTransformerHead()
    head(torch.randn(2, 8)).sum().backward()
