"""The same decoder with `output = self.dropout(output)`, out of place: the saved output stays."""
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
        self.dropout = nn.Dropout(p=0.5)

    def forward(self, x):
        output, hiddens = self.lstm(x)
        output = self.dropout(output)
        return DecoderOutput(output, hiddens)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Decoder(3, 4)
    out = model(torch.randn(2, 5, 3))
    out.output.sum().backward()
    print("output:", [round(v, 4) for v in out.output[0, 0].tolist()])
    print("lstm.bias_hh_l0.grad[:4]:", [round(v, 4) for v in model.lstm.bias_hh_l0.grad[:4].tolist()])
