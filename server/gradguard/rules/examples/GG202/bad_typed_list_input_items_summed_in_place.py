"""A layer sums the tensors of its `list[torch.Tensor]` input in place into the first one.

The list holds the caller's tensors, outputs of earlier layers in training. Here the first is a sigmoid output,
which sigmoid keeps for backward, so `total +=` breaks the caller's backward().
"""
import torch
import torch.nn as nn


class Sum(nn.Module):
    def forward(self, xs: list[torch.Tensor]) -> torch.Tensor:
        total = xs[0]
        for x in xs[1:]:
            total += x  # expect GG202
        return total


if __name__ == "__main__":
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    hidden = torch.sigmoid(features)
    out = Sum()([hidden, features * 3])  # expect GG201
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
