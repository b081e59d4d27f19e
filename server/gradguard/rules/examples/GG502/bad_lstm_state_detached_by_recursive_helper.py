"""An LSTM's (h, c) state passed through a recursive helper that forgets `.detach()`.

The helper copies the tuple item by item but returns each tensor as it is: the second batch's loss still hangs on
the first batch's graph, which the first backward() freed.
"""
import torch
import torch.nn as nn


def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h
    else:
        return tuple(repackage_hidden(v) for v in h)


torch.manual_seed(0)
emb = nn.Embedding(10, 4)
rnn = nn.LSTM(4, 4)
opt = torch.optim.SGD(list(emb.parameters()) + list(rnn.parameters()), lr=0.1)
hidden = (torch.zeros(1, 2, 4), torch.zeros(1, 2, 4))
for step in range(3):
    hidden = repackage_hidden(hidden)
    out, hidden = rnn(emb(torch.randint(0, 10, (5, 2))), hidden)
    loss = out.pow(2).mean()
    opt.zero_grad()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    opt.step()
    print("loss:", round(loss.item(), 4))
