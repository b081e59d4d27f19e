"""An RNN cell applies dropout to its step input out of place: `inputs = inputs * dp_mask` in training.

The fix Keras 3 made to LSTMCell.call: the masked step is a new tensor, and the unbind() output of the sequence that
Keras's RNN loop passed stays as it was, so backward() runs.
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
            inputs = inputs * dp_mask
        h = torch.tanh(inputs @ self.kernel + h_tm1 @ self.recurrent_kernel)
        return h, [h]


if __name__ == "__main__":
    torch.manual_seed(0)
    cell = DropoutCell(3, 4)
    sequences = torch.randn(2, 5, 3, requires_grad=True)
    states = [torch.zeros(2, 4)]
    for step in torch.unbind(sequences, dim=1):
        output, states = cell(step, states, training=True)
    output.sum().backward()
    print("grad:", round(sequences.grad.abs().sum().item(), 4))
