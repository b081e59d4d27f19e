"""Positional conv: `x += self.pos_conv(x.transpose(1, 2)).transpose(1, 2)` changes what it saved.

The conv (weight-normalised, inside an `nn.Sequential` with a padding module of the project's own) keeps its
input for backward, and that input is a transposed view of `x`: the in-place add bumps `x`'s version.
Pattern seen in real speech-encoder code.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class TrimLast(nn.Module):
    def forward(self, x):
        return x[:, :, :-1]


class Encoder(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        conv = nn.Conv1d(dim, dim, kernel_size=2, padding=1)
        conv = nn.utils.parametrizations.weight_norm(conv, name="weight", dim=2)
        self.pos_conv = nn.Sequential(conv, TrimLast(), nn.GELU())

    def forward(self, features):
        x = self.proj(features)
        x_conv = self.pos_conv(x.transpose(1, 2)).transpose(1, 2)
        x += x_conv  # expect GG201
        return {"features": x, "conv": x_conv}


model = Encoder(4)
out = model(torch.randn(2, 3, 4))
out["features"].sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("features:", [round(v, 4) for v in out["features"].flatten().tolist()])
print("proj.bias.grad:", [round(v, 4) for v in model.proj.bias.grad.tolist()])
