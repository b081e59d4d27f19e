"""Category 1: a decoder drops out its LSTM output in place and returns it in a `@dataclass` output."""
import dataclasses
from typing import Optional

import torch
from torch import nn


@dataclasses.dataclass
class ModuleOutput:
    output: torch.Tensor
    hiddens: Optional[tuple] = None


class LSTMDecoder(nn.Module):
    def __init__(self, input_size, hidden_size, dropout=0.2):
        super().__init__()
        self.module = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.dropout_layer = nn.Dropout(p=dropout, inplace=True)

    def forward(self, symbol_embedding, last_hiddens):
        output, hiddens = self.module(symbol_embedding, last_hiddens)
        self.dropout_layer(output)  # BUG
        return ModuleOutput(output, hiddens)


if __name__ == "__main__":
    torch.manual_seed(0)
    decoder = LSTMDecoder(3, 5)
    h0 = (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5))
    decoder(torch.randn(2, 1, 3), h0).output.sum().backward()
