"""A recurrent state that starts from `torch.zeros` for every sequence; one backward() per sequence."""
import torch
import torch.nn as nn

torch.manual_seed(0)
cell = nn.GRUCell(2, 2)
sequences = torch.randn(2, 3, 1, 2)
for seq in sequences:
    h = torch.zeros(1, 2)
    for x in seq:
        h = cell(x, h)
    loss = h.pow(2).sum()
    loss.backward()
    print("loss:", round(loss.item(), 4))
