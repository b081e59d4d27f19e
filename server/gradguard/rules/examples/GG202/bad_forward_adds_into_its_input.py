"""A block adds a learned offset into the tensor it was given: `x += self.offset` in forward.

Nothing in the block shows that `x` requires grad or that anything saved it; in training the caller passes the
output of an earlier layer. Here that is a sigmoid, which keeps its output for backward, so the in-place add
breaks the caller's backward().
"""
import torch
import torch.nn as nn


class AddOffset(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.offset = nn.Parameter(torch.linspace(0.0, 1.0, dim))

    def forward(self, x):
        x += self.offset  # expect GG202
        return x * 2


if __name__ == "__main__":
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    hidden = torch.sigmoid(features)
    out = AddOffset(3)(hidden)  # expect GG201
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
