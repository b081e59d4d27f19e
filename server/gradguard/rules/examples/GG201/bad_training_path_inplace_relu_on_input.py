"""A pooling chain adding into its ReLU'd input: `x += path` after `ReLU(inplace=True)` saved x.

Nothing in the module shows that `x` requires grad; in training it does (the training loop passes the output
of earlier layers). The in-place ReLU keeps its output for backward, and `x += path` changes it.
"""
import torch
import torch.nn as nn


class ChainedPool(nn.Module):
    def __init__(self, feats):
        super().__init__()
        self.relu = nn.ReLU(inplace=True)
        self.block = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(feats, feats, 3, padding=1))

    def forward(self, x):
        x = self.relu(x)
        path = self.block(x)
        x += path  # expect GG201
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    features = torch.randn(1, 2, 4, 4, requires_grad=True)
    out = ChainedPool(2)(features * 1.0)  # expect GG201
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad sum:", round(features.grad.sum().item(), 4))
