"""A block whose optional norm saves its input and returns a new tensor, then a default in-place ReLU.

`out = self.fc(x)`, `if self.norm: out = self.norm(out)` (LayerNorm by hand: `std` saves its input),
`out = self.activation(out)` with `ReLU(inplace=True)` chosen by default among other activations: the ReLU
changes the norm's new output, never the tensor `std` saved.
"""
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def forward(self, x):
        mean = x.mean(1, keepdim=True)
        std = x.std(1, keepdim=True)
        return (x - mean) / (std + 1e-5)


class LinearBlock(nn.Module):
    def __init__(self, dim, norm="ln", activation="relu"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.norm = LayerNorm() if norm == "ln" else None
        if activation == "relu":
            self.activation = nn.ReLU(inplace=True)
        elif activation == "tanh":
            self.activation = nn.Tanh()
        else:
            self.activation = None

    def forward(self, x):
        out = self.fc(x)
        if self.norm:
            out = self.norm(out)
        if self.activation:
            out = self.activation(out)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    out = LinearBlock(4)(torch.randn(3, 4))
    out.sum().backward()
    print("out:", [round(v, 4) for v in out[0].tolist()])
