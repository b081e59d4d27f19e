"""A forecaster's forward reads its input from a mapping of encoded features, normalized in place.

`forward(self, encoded)` takes a mapping that an encoder filled: `encoded["insample_y"]` is a previous layer's
output, which requires grad. `torch.var` saves its input for backward, and `x /= std` then changes it: backward()
raises.
"""
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 2)

    def normalize(self, x):
        x = x - x.mean(1, keepdim=True).detach()
        std = torch.sqrt(torch.var(x, dim=1, keepdim=True, unbiased=False) + 1e-5)
        x /= std  # expect GG201
        return x

    def forward(self, encoded):
        series = encoded["insample_y"]
        return self.proj(self.normalize(series))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Forecaster()
    encoded = {"insample_y": torch.tanh(nn.Linear(4, 4)(torch.randn(3, 4)))}
    model(encoded).pow(2).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", [round(v, 4) for v in model.proj.weight.grad.flatten().tolist()[:3]])
