"""`input_feed = input_feed.detach()`: a detached copy of the unsqueezed output, not the view."""
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
    input_feed = input_feed.detach()
    hidden = input_feed.squeeze(0)
print("done")
