"""A layer sums the tensors of its `list[torch.Tensor]` input out of place.

The list holds the caller's tensors, outputs of earlier layers in training. Here the first is a sigmoid output,
which sigmoid keeps for backward; `total = total + x` leaves it as it was, and backward() runs.
"""
import torch
import torch.nn as nn


class Sum(nn.Module):
    def forward(self, xs: list[torch.Tensor]) -> torch.Tensor:
        total = xs[0]
        for x in xs[1:]:
            total = total + x
        return total


if __name__ == "__main__":
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    hidden = torch.sigmoid(features)
    out = Sum()([hidden, features * 3])
    out.sum().backward()
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
