"""Category 1: a decoder built from a list of layers ending in Sigmoid; the forward rescales the output in place."""
import torch
from torch import nn


class MaskDecoder(nn.Module):
    def __init__(self, channels=(8, 4, 1)):
        super().__init__()
        layers = []
        for c_in, c_out in zip(channels[:-1], channels[1:]):
            layers.append(nn.Conv2d(c_in, c_out, 3, padding=1))
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.Sigmoid())
        self.decoder = nn.Sequential(*layers)

    def forward(self, feats, valid):
        mask = self.decoder(feats)
        mask *= valid  # BUG
        return mask


if __name__ == "__main__":
    dec = MaskDecoder()
    dec(torch.randn(2, 8, 4, 4), torch.ones(2, 1, 4, 4)).sum().backward()
