"""A model's GRU state reset for a new batch size and detached after each backward(): a fresh graph.

The model keeps `self.h` between calls; the training loop drops it when a batch of another size comes, and detaches
it after each step, so the next batch's graph starts from a tensor without history."""
import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(3, 4)
        self.h = None

    def forward(self, x):
        out, self.h = self.rnn(x, self.h)
        return out


torch.manual_seed(0)
model = Tagger()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    x = torch.randn(5, 2, 3)
    if model.h is not None and model.h.size(1) != x.size(1):
        model.h = None
    loss = model(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.h = model.h.detach()
print("weight:", [round(v, 4) for v in model.rnn.weight_hh_l0.flatten().tolist()[:4]])
