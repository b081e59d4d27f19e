"""`nn.Dropout2d(p, inplace=True)` after `nn.ReLU(inplace=True)`: it changes the output ReLU saved.

A segmentation head (conv, batch norm, in-place ReLU) followed by channel dropout in place: ReLU's backward reads
its own output, and the dropout changes it in training mode. pytorch-semseg's PSPNet shipped this.
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
        self.dropout = nn.Dropout2d(p=0.1, inplace=True)
        self.classifier = nn.Conv2d(channels, classes, 1)

    def forward(self, x):
        x = self.relu(self.bn(self.conv(x)))
        x = self.dropout(x)  # expect GG201
        return self.classifier(x)


head = SegmentationHead()
out = head(torch.randn(2, 4, 8, 8))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("classifier.bias.grad:", [round(v, 4) for v in head.classifier.bias.grad.tolist()])
