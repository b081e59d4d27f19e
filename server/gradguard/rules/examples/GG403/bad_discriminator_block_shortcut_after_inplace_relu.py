"""A discriminator block that activates its input in place, then takes the shortcut from the input.

BigGAN's `DBlock.forward` with the in-place ReLU (`--D_nl inplace_relu`): `h = F.relu(x, inplace=True)`, two
convolutions, then `h + self.conv_sc(x)`. `h` and `x` were one tensor after the ReLU, so the shortcut convolves
relu(x): the discriminator computes another function than the one meant, and torch says nothing.
"""
import torch
import torch.nn.functional as F
from torch import nn


class DBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv_sc = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        h = F.relu(x, inplace=True)  # expect GG403
        h = self.conv2(F.relu(self.conv1(h)))
        return h + self.conv_sc(x)


torch.manual_seed(0)
block = DBlock(2)
images = torch.randn(1, 2, 4, 4)
output = block(images.clone())
print("output:", round(output.sum().item(), 4))
meant = block.conv2(F.relu(block.conv1(F.relu(images)))) + block.conv_sc(images)
assert not torch.allclose(output, meant)  # silently wrong
