"""An in-place ReLU whose result gets a new name, and only the input's size read afterwards.

DenseNet's classifier head: `out = F.relu(features, inplace=True)`, pooled, then `.view(features.size(0), -1)`.
`features` and `out` are one tensor, but the size is all that is read of `features`, and an in-place op keeps it.
"""
import torch
import torch.nn.functional as F
from torch import nn


class Head(nn.Module):
    def __init__(self, channels, classes):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels)
        self.classifier = nn.Linear(channels, classes)

    def forward(self, x):
        features = self.norm(x)
        out = F.relu(features, inplace=True)
        out = F.adaptive_avg_pool2d(out, 1).view(features.size(0), -1)
        return self.classifier(out)


torch.manual_seed(0)
head = Head(4, 3)
loss = head(torch.randn(2, 4, 5, 5)).pow(2).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
