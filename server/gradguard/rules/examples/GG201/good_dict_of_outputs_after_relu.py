"""A detection head adds a skip connection to its ReLU output out of place, in a dict of outputs.

`net = net + feat` is a new tensor: the ReLU output it saved stays as it was, and the backward() through
`end_points["scores"]` runs.
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
        net = net + feat
        end_points["scores"] = net.transpose(2, 1)
        return end_points


if __name__ == "__main__":
    torch.manual_seed(0)
    features = torch.randn(2, 4, 5, requires_grad=True)
    outputs = Head(4)(features, {})
    outputs["scores"].sum().backward()
    print("grad sum:", round(features.grad.sum().item(), 4))
