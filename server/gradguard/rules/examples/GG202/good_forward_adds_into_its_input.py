"""A block adds a learned offset to the tensor it was given, out of place: `x = x + self.offset`.

The new tensor leaves the caller's sigmoid output as the sigmoid saved it, so backward() runs.
"""
import torch
import torch.nn as nn


class AddOffset(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.offset = nn.Parameter(torch.linspace(0.0, 1.0, dim))

    def forward(self, x):
        x = x + self.offset
        return x * 2


if __name__ == "__main__":
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    hidden = torch.sigmoid(features)
    out = AddOffset(3)(hidden)
    out.sum().backward()
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
