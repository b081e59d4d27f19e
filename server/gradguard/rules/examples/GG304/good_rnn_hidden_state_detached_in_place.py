"""`h.detach_()` of an RNN's own hidden state, and of a reshape that had to copy: no view.

The classic truncated-BPTT idiom is right when the carried tensor is an op's own output. `reshape` of a
transposed tensor copies, so its result is no view either.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
rnn = nn.GRU(3, 4)
h = torch.zeros(1, 2, 4)
for chunk in torch.randn(6, 2, 3).split(3):
    out, h = rnn(chunk, h)
    out.pow(2).mean().backward()
    h.detach_()
flat = out.transpose(0, 1).reshape(2, -1)
flat.detach_()
print(h.shape, flat.shape)
