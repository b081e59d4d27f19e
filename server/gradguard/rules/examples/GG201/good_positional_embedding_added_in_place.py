"""`x = x + pos`: the positional embedding is added out of place; the ReLU output stays as saved."""
import torch
import torch.nn as nn


class PositionalBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.act = nn.ReLU()
        self.out = nn.Linear(dim, dim)

    def forward(self, x, pos=None):
        x = self.act(self.proj(x))
        if pos is not None:
            x = x + pos
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = PositionalBlock(4)
    tokens, pos = torch.randn(2, 3, 4), torch.randn(3, 4)
    out = block(tokens, pos)
    out.sum().backward()
    print("grad norm:", round(block.proj.weight.grad.norm().item(), 4))
