"""A gain layer with a learned scale multiplies its input in place when a coin flip says so.

Unlike an augmentation, the class builds a parameter: it is a layer of the model, given a previous layer's output.
Here that is a sigmoid, which keeps its output for backward, so the in-place product breaks the caller's
backward().
"""
import numpy as np

import torch
import torch.nn as nn


class RandomGain(nn.Module):
    def __init__(self, dim, p=0.5):
        super().__init__()
        self.p = p
        self.gain = nn.Parameter(torch.full((dim,), 1.5))

    def forward(self, x):
        if self.training and np.random.rand() < self.p:
            x *= self.gain  # expect GG202
        return x


if __name__ == "__main__":
    np.random.seed(0)
    torch.manual_seed(0)
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    hidden = torch.sigmoid(features)
    out = RandomGain(3, p=1.0)(hidden)  # expect GG201
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
