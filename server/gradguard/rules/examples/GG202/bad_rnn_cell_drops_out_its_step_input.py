"""An RNN cell applies dropout to its step input in place: `inputs *= dp_mask` when training.

The shape of Keras 3's LSTMCell.call on the torch backend: Keras's RNN loop hands the cell each time step as an
unbind() output of the sequence, a view that torch does not let anyone change in place. The cell's code does not
show what its caller passes; any tensor that requires grad there is at risk.
"""
import torch
import torch.nn as nn


class DropoutCell(nn.Module):
    def __init__(self, input_dim, units, dropout=0.5):
        super().__init__()
        self.kernel = nn.Parameter(torch.randn(input_dim, units) * 0.1)
        self.recurrent_kernel = nn.Parameter(torch.randn(units, units) * 0.1)
        self.dropout = dropout

    def forward(self, inputs, states, training=False):
        h_tm1 = states[0]
        dp_mask = torch.bernoulli(torch.full_like(inputs, 1.0 - self.dropout)) / (1.0 - self.dropout)
        if training and 0.0 < self.dropout < 1.0:
            inputs *= dp_mask  # expect GG202; torch raises: a view and is being modified inplace
        h = torch.tanh(inputs @ self.kernel + h_tm1 @ self.recurrent_kernel)
        return h, [h]


if __name__ == "__main__":
    torch.manual_seed(0)
    cell = DropoutCell(3, 4)
    sequences = torch.randn(2, 5, 3, requires_grad=True)
    states = [torch.zeros(2, 4)]
    for step in torch.unbind(sequences, dim=1):
        output, states = cell(step, states, training=True)  # expect GG201, GG301
    output.sum().backward()
    print("grad:", round(sequences.grad.abs().sum().item(), 4))
