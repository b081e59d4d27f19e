"""`nn.ReLU(inplace=self.inplace)` with `inplace = False` set on the class."""
import torch
import torch.nn as nn


class GatedBlock(nn.Module):
    inplace = False

    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.gate = nn.Linear(dim, dim)
        self.act = nn.ReLU(inplace=self.inplace)

    def forward(self, x):
        h = self.fc(x)
        gated = h * torch.sigmoid(self.gate(x))
        h = self.act(h)
        return h + gated


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GatedBlock(4)
    block(torch.randn(2, 4)).sum().backward()
    print("grad norm:", round(block.fc.weight.grad.norm().item(), 4))
