"""A forward that creates its feature list on the first call only: `if self.features is None: ...`.

Later calls append to the same list, and the loss reads every item kept in it: the items of the previous call
still carry that call's graph, which its backward() freed, so the second backward() goes through it again.
"""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.features = None

    def forward(self, x):
        if self.features is None:
            self.features = []
        self.features.append(torch.relu(self.conv1(x)))  # expect GG502
        return torch.stack(self.features).pow(2).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Encoder()
    for step in range(2):
        loss = model(torch.rand(2, 3, 8, 8))
        loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
        print("loss:", round(loss.item(), 4))
