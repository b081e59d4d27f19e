"""A decoder's LSTM output dropped out in place, returned in a record: the LSTM's backward keeps it.

`self.dropout(output)` with `nn.Dropout(inplace=True)` changes the output sequence that a one-directional CPU
`nn.LSTM` saved for backward. The forward returns it as a field of a plain record (`DecoderOutput(output,
hiddens)`, like a `@dataclass` output) and the training step reads `.output`: the backward() through it fails.
Pattern from a seq2seq library's decoder, whose file shows no training step.
"""
import torch
import torch.nn as nn


class DecoderOutput:
    def __init__(self, output, hiddens=None):
        self.output = output
        self.hiddens = hiddens


class Decoder(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.dropout = nn.Dropout(p=0.5, inplace=True)

    def forward(self, x):
        output, hiddens = self.lstm(x)
        self.dropout(output)  # expect GG201
        return DecoderOutput(output, hiddens)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Decoder(3, 4)
    out = model(torch.randn(2, 5, 3))
    out.output.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("output:", [round(v, 4) for v in out.output[0, 0].tolist()])
    print("lstm.bias_hh_l0.grad[:4]:", [round(v, 4) for v in model.lstm.bias_hh_l0.grad[:4].tolist()])
