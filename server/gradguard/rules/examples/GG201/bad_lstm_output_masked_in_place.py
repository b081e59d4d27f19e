"""An LSTM's output zeroed at padding with `o.masked_fill_(...)`: the LSTM's backward keeps `o`.

On CPU a one-directional `nn.LSTM` saves its output sequence for backward (tools/gen_facts.py measures it), so
the in-place fill breaks backward. Pattern seen in real sequence-encoder code.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Encoder(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.lstm = nn.LSTM(dim, hidden)

    def forward(self, x, pad):
        o, (h, c) = self.lstm(x)
        o.masked_fill_(pad.unsqueeze(-1), 0.0)  # expect GG201
        return o, h


model = Encoder(3, 4)
pad = torch.tensor([[False, False], [False, True], [True, True]])
out, last = model(torch.randn(3, 2, 3), pad)
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("lstm.bias_hh_l0.grad[:4]:", [round(v, 4) for v in model.lstm.bias_hh_l0.grad[:4].tolist()])
