"""`base, offset = pieces(x)` where `pieces` always returns one tensor: unpacking unbinds it."""
import torch
import torch.nn as nn


def pieces(data, n):
    return data[:, 1:n] - data[:, : n - 1]


class Angles(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 4)

    def forward(self, data):
        base, offset = pieces(self.proj(data), 3).transpose(0, 1)
        base *= -1  # expect GG301; torch raises: is a view and is being modified inplace
        return (base * offset).sum(dim=1) / base.norm(dim=1) / offset.norm(dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Angles()
    model(torch.randn(2, 3, 4)).sum().backward()
    print("grad:", model.proj.weight.grad.shape)
