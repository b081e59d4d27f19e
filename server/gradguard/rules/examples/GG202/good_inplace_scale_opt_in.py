"""A layer scale with an `inplace` option: `x.mul_(g) if self.inplace else x * g` (timm's LayerScale).

The in-place form is what the caller asks for when it builds the layer; by default it is off, and the block
leaves the tensor it was given alone.
"""
import torch
import torch.nn as nn


class LayerScale(nn.Module):
    def __init__(self, dim, init_values=1e-1, inplace=False):
        super().__init__()
        self.inplace = inplace
        self.gamma = nn.Parameter(init_values * torch.ones(dim))

    def forward(self, x):
        return x.mul_(self.gamma) if self.inplace else x * self.gamma


if __name__ == "__main__":
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    hidden = torch.sigmoid(features)
    out = LayerScale(3)(hidden)
    out.sum().backward()
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
