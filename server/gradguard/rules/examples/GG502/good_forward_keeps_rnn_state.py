"""The model keeps its GRU state detached: the next step starts from the values, not the old graph."""
import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4, batch_first=True)
        self.head = nn.Linear(4, 1)
        self.hidden = None

    def forward(self, x):
        out, hidden = self.gru(x, self.hidden)
        self.hidden = hidden.detach()
        return self.head(out[:, -1])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Tagger()
    for step in range(2):
        loss = model(torch.randn(2, 5, 3)).pow(2).mean()
        loss.backward()
        print("loss:", round(loss.item(), 4))
