"""An RNN trained step by step whose hidden state is carried over without `.detach()`.

In the second iteration `h` still hangs on the first iteration's graph, which the first backward()
freed: backward() tries to go through it again.
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
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    opt.step()
    print("loss:", round(loss.item(), 4))
