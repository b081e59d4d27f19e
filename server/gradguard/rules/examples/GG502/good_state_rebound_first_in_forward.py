"""A forward that first re-binds its state (`self.features = []`), then fills and reads it.

An encoder keeps its feature maps on the module for a decoder to read: `self.features = []` at the top of forward,
then `self.features.append(...)`, each block reading `self.features[-1]`; and `self.out = self.head(...)` re-shaped
as `self.out = self.out.reshape(...)`. Every read is of this call's value, so nothing of the previous call's graph
is fed in and each backward() goes through the graph of its own step only.
"""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.layer1 = nn.Conv2d(4, 4, 3, padding=1)
        self.head = nn.Linear(4, 4)

    def forward(self, x):
        self.features = []
        self.features.append(torch.relu(self.conv1(x)))
        self.features.append(self.layer1(self.features[-1]))
        self.out = self.head(self.features[-1].mean((2, 3)))
        self.out = self.out.reshape(-1, 2, 2)
        return self.features, self.out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Encoder()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(3):
        feats, out = model(torch.rand(2, 3, 8, 8))
        loss = feats[-1].pow(2).mean() + out.pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        print("loss:", round(loss.item(), 4))
