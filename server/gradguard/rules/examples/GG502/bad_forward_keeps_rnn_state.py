"""A model that keeps its GRU state between calls: `out, self.hidden = self.gru(x, self.hidden)`.

The stored state still carries this call's graph. The next training step feeds it back in, and its backward()
goes through the previous step's graph, which the previous backward() freed.
"""
import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4, batch_first=True)
        self.head = nn.Linear(4, 1)
        self.hidden = None

    def forward(self, x):
        out, self.hidden = self.gru(x, self.hidden)  # expect GG502
        return self.head(out[:, -1])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Tagger()
    for step in range(2):
        loss = model(torch.randn(2, 5, 3)).pow(2).mean()
        loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
        print("loss:", round(loss.item(), 4))
