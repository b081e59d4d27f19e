"""`input_feed.detach_()` where `input_feed = output.unsqueeze(0)` (OpenNMT's decoder state).

The trainer detaches the decoder's carried state between chunks of a long sequence. `unsqueeze` returns a view
of the decoder's output, and torch refuses to detach a view in place.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
cell = nn.GRUCell(4, 4)
x = torch.randn(6, 2, 4)
hidden = torch.zeros(2, 4)
for chunk in x.split(3):
    for step in chunk:
        hidden = cell(step, hidden)
    loss = hidden.pow(2).mean()
    loss.backward()
    input_feed = hidden.unsqueeze(0)
    input_feed.detach_()  # expect GG304; torch raises: Can't detach views in-place
    hidden = input_feed.squeeze(0)
print("done")
