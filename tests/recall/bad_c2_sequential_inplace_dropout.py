"""Category 2: a classifier head where an in-place Dropout follows a Sigmoid inside nn.Sequential."""
import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self, in_features, num_classes, drop=0.2):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(in_features, 64),
            nn.Sigmoid(),
            nn.Dropout(p=drop, inplace=True),  # BUG
            nn.Linear(64, num_classes),
        )

    def forward(self, feats):
        return self.head(self.pool(feats))


if __name__ == "__main__":
    clf = Classifier(16, 10)
    clf.train()
    clf(torch.randn(4, 16, 5, 5)).logsumexp(-1).sum().backward()
