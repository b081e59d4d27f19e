"""A hidden state made afresh only for a new batch size, detached after each backward().

A recurrent cell keeps its hidden state on the module and makes a fresh one only when the batch size changes
(a helper checks it); the training loop detaches the state after each backward(), so the next batch's graph starts
from a tensor without history (truncated backpropagation through time, one batch long)."""
import torch
import torch.nn as nn


class Cell(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.size = size
        self.inp = nn.Linear(size, size)
        self.rec = nn.Linear(size, size)
        self.hidden = torch.zeros(0, size)

    def ensure_state(self, x):
        if self.hidden.size(0) != x.size(0):
            self.hidden = x.new_zeros(x.size(0), self.size)

    def forward(self, x):
        self.ensure_state(x)
        self.hidden = torch.tanh(self.inp(x) + self.rec(self.hidden))
        return self.hidden


torch.manual_seed(0)
cell = Cell(4)
opt = torch.optim.SGD(cell.parameters(), lr=0.05)
for step in range(3):
    out = cell(torch.randn(5, 4))
    loss = out.pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    cell.hidden = cell.hidden.detach()
print("rec weight:", [round(v, 4) for v in cell.rec.weight.flatten().tolist()[:4]])
