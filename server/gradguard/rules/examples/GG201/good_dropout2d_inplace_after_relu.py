"""`nn.Dropout2d(p)` out of place after the in-place ReLU: ReLU's saved output stays as it was.

The segmentation head of the bad example with `inplace=False` on the dropout (the fix pytorch-semseg made): the
dropout returns a new tensor, and ReLU's backward reads its output unchanged.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class SegmentationHead(nn.Module):
    def __init__(self, channels=4, classes=3):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout2d(p=0.1)
        self.classifier = nn.Conv2d(channels, classes, 1)

    def forward(self, x):
        x = self.relu(self.bn(self.conv(x)))
        x = self.dropout(x)
        return self.classifier(x)


head = SegmentationHead()
out = head(torch.randn(2, 4, 8, 8))
out.sum().backward()
print("classifier.bias.grad:", [round(v, 4) for v in head.classifier.bias.grad.tolist()])
