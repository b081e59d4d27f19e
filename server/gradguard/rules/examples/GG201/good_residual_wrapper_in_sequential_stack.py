"""A Residual wrapper adds its input to what the wrapped layers return, out of place."""
import torch
import torch.nn as nn


class Residual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x, **kwargs):
        return self.fn(x, **kwargs) + x


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
    model(torch.randn(2, 3, 8)).pow(2).sum().backward()
    print("grad norm:", round(model.layers[0].fn[1].weight.grad.norm().item(), 4))
