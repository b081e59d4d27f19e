"""A block whose `inplace=True` default makes its ReLU change the sigmoid output that sigmoid saved."""
import torch
import torch.nn as nn


class GatedBlock(nn.Module):
    def __init__(self, dim, inplace=True):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = nn.ReLU(inplace=inplace)

    def forward(self, x):
        h = torch.sigmoid(self.fc(x)) - 0.5
        g = torch.sigmoid(self.fc(x))
        g = self.act(g)  # expect GG201
        return h * g


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GatedBlock(4)
    out = block(torch.randn(2, 4))
    print("out:", out.sum().item())
    out.sum().backward()  # torch raises: modified by an inplace operation
