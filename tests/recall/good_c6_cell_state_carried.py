"""Category 6: a GRUCell state kept on the module across training steps without detach."""
import torch
from torch import nn


class OnlineModel(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.cell = nn.GRUCell(dim, hidden)
        self.head = nn.Linear(hidden, 1)
        self.state = torch.zeros(1, hidden)

    def forward(self, x):
        self.state = self.cell(x, self.state.detach())
        return self.head(self.state)


model = OnlineModel(3, 4)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(2):
    loss = model(torch.randn(1, 3)).pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
