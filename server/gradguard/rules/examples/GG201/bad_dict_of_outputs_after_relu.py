"""A detection head adds a skip connection into its ReLU output and returns it in a dict of outputs.

`net = F.relu(...)` is kept by ReLU for backward; `net += feat` changes it; the head hands the result back as
`end_points["scores"]`, and the backward() through it fails.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Head(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, 1)
        self.bn = nn.BatchNorm1d(channels)

    def forward(self, feat, end_points):
        net = F.relu(self.bn(self.conv(feat)))
        net += feat  # expect GG201
        end_points["scores"] = net.transpose(2, 1)
        return end_points


if __name__ == "__main__":
    torch.manual_seed(0)
    features = torch.randn(2, 4, 5, requires_grad=True)
    outputs = Head(4)(features, {})
    outputs["scores"].sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad sum:", round(features.grad.sum().item(), 4))
