"""The same encoder with `o = o.masked_fill(...)`: a new tensor, the LSTM's saved output is left alone."""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Encoder(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.lstm = nn.LSTM(dim, hidden)

    def forward(self, x, pad):
        o, (h, c) = self.lstm(x)
        o = o.masked_fill(pad.unsqueeze(-1), 0.0)
        return o, h


model = Encoder(3, 4)
pad = torch.tensor([[False, False], [False, True], [True, True]])
out, last = model(torch.randn(3, 2, 3), pad)
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("lstm.bias_hh_l0.grad[:4]:", [round(v, 4) for v in model.lstm.bias_hh_l0.grad[:4].tolist()])
