"""`base, offset = pieces(x)` where `pieces` returns a list (or, for one item, the tensor): no views."""
import torch
import torch.nn as nn


def pieces(data, n):
    out = [data[:, i + 1] - data[:, i] for i in range(n - 1)]
    if len(out) == 1:
        out = out[0]
    return out


class Angles(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 4)

    def forward(self, data):
        base, offset = pieces(self.proj(data), 3)
        base *= -1
        return (base * offset).sum(dim=1) / base.norm(dim=1) / offset.norm(dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Angles()
    model(torch.randn(2, 3, 4)).sum().backward()
    print("grad:", model.proj.weight.grad.shape)
