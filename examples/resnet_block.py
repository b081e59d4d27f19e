"""A small ResNet-style classifier. Most of its in-place ops are fine; one is not.

`nn.ReLU(inplace=True)` after a batch norm and `out += identity` are correct: batch norm keeps its
input, not its output. But the gate multiplies by a sigmoid and then changes the sigmoid's output in
place, and sigmoid keeps its output for backward.
"""
import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity
        return self.relu(out)


class GatedNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.block = BasicBlock(8)
        self.gate = nn.Linear(8, 8)
        self.head = nn.Linear(8, 4)

    def forward(self, x):
        h = self.block(self.stem(x)).mean(dim=(2, 3))
        g = torch.sigmoid(self.gate(h))
        gated = h * g
        g.mul_(0.5)  # expect GG201
        return self.head(gated)


torch.manual_seed(0)
model = GatedNet()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
images, labels = torch.randn(2, 3, 8, 8), torch.tensor([0, 3])
loss = nn.functional.cross_entropy(model(images), labels)
opt.zero_grad()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
opt.step()
print("loss:", round(loss.item(), 4))
