"""Blocks stacked in a ModuleList each add a bias to their input out of place."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        x = x + self.bias
        return torch.sigmoid(self.fc(x))


class Stack(nn.Module):
    def __init__(self, dim, depth=3):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim) for _ in range(depth)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Stack(4)
    model(torch.randn(2, 4)).sum().backward()
    print("grad norm:", round(model.blocks[0].fc.weight.grad.norm().item(), 4))
