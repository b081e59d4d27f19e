"""A base class's forward masks its subclass's LSTM output out of place: `o = o.masked_fill(...)`.

The LSTM keeps its output for backward; the masked copy is a new tensor, so the backward() through the LSTM
finds what it saved as it was.
"""
import torch
import torch.nn as nn


class BaseRNN(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward_cell(self, x):
        raise NotImplementedError

    def forward(self, x, lens=None):
        o = self.forward_cell(x)
        if lens is not None:
            padding = torch.arange(x.size(1)).unsqueeze(0) >= lens.unsqueeze(1)
            o = o.masked_fill(padding.unsqueeze(-1), 0.0)
        return o


class LSTMEncoder(BaseRNN):
    def __init__(self, dim):
        super().__init__(dim)
        self.lstm = nn.LSTM(dim, dim, batch_first=True)

    def forward_cell(self, x):
        o, _ = self.lstm(x)
        return o


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = torch.randn(2, 3, 4)
    encoder = LSTMEncoder(4)
    out = encoder(batch, torch.tensor([3, 2]))
    out.sum().backward()
    print("grad norm:", round(encoder.lstm.weight_hh_l0.grad.norm().item(), 4))
