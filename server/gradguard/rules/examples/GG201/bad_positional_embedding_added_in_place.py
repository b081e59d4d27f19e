"""`x += pos` on a ReLU output in a forward whose callers pass positional embeddings (`pos=None`).

ReLU keeps its output for backward. DETR-style layers take `pos` as an optional argument and every training call
passes it, so the in-place add runs and the backward() through the ReLU fails.
"""
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
            x += pos  # expect GG201
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = PositionalBlock(4)
    tokens, pos = torch.randn(2, 3, 4), torch.randn(3, 4)
    out = block(tokens, pos)
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(block.proj.weight.grad.norm().item(), 4))
