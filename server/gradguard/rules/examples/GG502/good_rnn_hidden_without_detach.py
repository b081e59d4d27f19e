"""An RNN trained step by step that carries `h.detach()` into the next step (truncated BPTT)."""
import torch
import torch.nn as nn

torch.manual_seed(0)
cell = nn.RNNCell(2, 3)
opt = torch.optim.SGD(cell.parameters(), lr=0.1)
xs = torch.randn(4, 1, 2)
h = torch.zeros(1, 3)
for x in xs:
    h = h.detach()
    h = cell(x, h)
    loss = h.pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss:", round(loss.item(), 4))
