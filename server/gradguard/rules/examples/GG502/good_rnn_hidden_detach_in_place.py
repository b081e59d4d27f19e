"""An RNN trained step by step that cuts the carried state in place, `h.detach_()`, after backward().

`detach_()` turns `h` itself into a tensor without history: the next step's graph starts there, and
nothing the finished backward() needed is left to change.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
cell = nn.RNNCell(2, 3)
opt = torch.optim.SGD(cell.parameters(), lr=0.1)
xs = torch.randn(4, 1, 2)
h = torch.zeros(1, 3)
for x in xs:
    h = cell(x, h)
    loss = h.pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    h.detach_()
    print("loss:", round(loss.item(), 4))
