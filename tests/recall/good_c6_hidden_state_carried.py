"""Category 6: an LSTM keeps its hidden state on the module across batches without detaching it."""
import torch
from torch import nn


class StatefulLSTM(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 1)
        self.hidden = None

    def forward(self, x):
        out, hidden = self.lstm(x, self.hidden)
        self.hidden = tuple(h.detach() for h in hidden)
        return self.fc(out[:, -1])


model = StatefulLSTM(3, 5)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for _ in range(2):
    loss = model(torch.randn(2, 4, 3)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
