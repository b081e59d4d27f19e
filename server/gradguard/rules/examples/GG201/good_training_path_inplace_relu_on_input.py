"""The pooling chain with the branch added out of place: `x = x + path`."""
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
        x = x + path
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    features = torch.randn(1, 2, 4, 4, requires_grad=True)
    out = ChainedPool(2)(features * 1.0)
    out.sum().backward()
    print("grad sum:", round(features.grad.sum().item(), 4))
