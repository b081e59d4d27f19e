"""torch's CPU RNN cells split one gate buffer with unsafe_chunk and write each gate in place while another gate of
the same buffer is saved: the chunks interleave in memory (batch > 1) without sharing an element."""
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(3, 5, 2)
gru = nn.GRU(2, 4, batch_first=True)
out, hidden = gru(x)
lstm_cell = nn.LSTMCell(2, 4)
h, c = lstm_cell(x[:, 0])
gru_cell = nn.GRUCell(2, 4)
g = gru_cell(x[:, 1], hidden[0].detach())
(out.sum() + h.sum() + c.sum() + g.sum()).backward()
print(gru.weight_hh_l0.grad.norm())
