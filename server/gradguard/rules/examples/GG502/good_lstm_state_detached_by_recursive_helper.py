"""An LSTM's (h, c) state detached by a recursive helper (word_language_model's repackage_hidden).

PyTorch's word_language_model example and AWD-LSTM write it this way: the helper calls itself on each item of
the tuple and detaches each tensor.
"""
import torch
import torch.nn as nn


def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h.detach()
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
    loss.backward()
    opt.step()
    print("loss:", round(loss.item(), 4))
