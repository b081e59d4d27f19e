"""A Residual wrapper adds its input in place into what the wrapped layers return: a Softmax output.

`nn.Sequential(*[Residual(...) for _ in range(depth)])` stacks the wrapper; each wraps layers that end in a
Softmax, whose output SoftmaxBackward0 keeps for backward. `out += x` changes that output.
"""
import torch
import torch.nn as nn


class Residual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x, **kwargs):
        out = self.fn(x, **kwargs)
        out += x  # expect GG201
        return out


class Mixer(nn.Module):
    def __init__(self, dim, depth=2):
        super().__init__()
        self.layers = nn.Sequential(*[
            Residual(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim), nn.Softmax(dim=-1)))
            for _ in range(depth)
        ])

    def forward(self, x):
        return self.layers(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Mixer(8)
    model(torch.randn(2, 3, 8)).pow(2).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(model.layers[0].fn[1].weight.grad.norm().item(), 4))
