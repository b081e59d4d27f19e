"""Category 1: the background-class probability is zeroed by index assignment after softmax saved it."""
import torch
from torch import nn


class Detector(nn.Module):
    def __init__(self, dim, num_classes):
        super().__init__()
        self.cls_head = nn.Linear(dim, num_classes + 1)

    def forward(self, feats):
        probs = self.cls_head(feats).softmax(dim=-1)
        probs = torch.cat([torch.zeros_like(probs[:, :1]), probs[:, 1:]], dim=-1)
        return probs.max(dim=-1).values


if __name__ == "__main__":
    det = Detector(5, 3)
    det(torch.randn(4, 5)).sum().backward()
