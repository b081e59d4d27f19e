"""The same block with the residual added out of place: the output the second ReLU saved stays."""
import torch
import torch.nn as nn


class ResidualBlock(nn.Module):
    def __init__(self, dim, drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim)
        self.fc2 = nn.Linear(dim, dim)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        out = self.fc1(x)
        out = self.act(out)
        out = self.drop(out)

        out = self.fc2(out)
        out = self.act(out)
        out = self.drop(out)

        out = out + x
        return self.act(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = globals()["ResidualBlock"](4)  # built by name, as a config would
    block(torch.randn(2, 4)).sum().backward()
    print("fc1.bias.grad:", [round(v, 4) for v in block.fc1.bias.grad.tolist()])
