"""The loop switches only the dropouts to in place; the ReLU after the sigmoid keeps its own output."""
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = nn.ReLU()
        self.out = nn.Linear(dim, 1)

    def forward(self, x):
        h = torch.sigmoid(self.fc(x)) - 0.25
        h = self.act(h)
        g = torch.sigmoid(self.fc(x))
        g = self.act(g)
        return self.out(h * g)


class Net(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.head = Head(dim)
        for m in self.modules():
            if isinstance(m, nn.Dropout):
                m.inplace = True

    def forward(self, x):
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Net(4)
    out = net(torch.randn(2, 4)).sum()
    print("out:", round(out.item(), 4))
    out.backward()
