"""Category 4: a method rescales a list of feature maps in place; forward passes sigmoid attention maps."""
import torch
from torch import nn


class FeatureFusion(nn.Module):
    def __init__(self, ch, levels=2):
        super().__init__()
        self.att = nn.ModuleList([nn.Conv2d(ch, ch, 1) for _ in range(levels)])

    def _rescale(self, feats, factor):
        return [f * factor for f in feats]

    def forward(self, xs):
        maps = [torch.sigmoid(conv(x)) for conv, x in zip(self.att, xs)]
        maps = self._rescale(maps, 0.5)
        return sum(m.mean() for m in maps)


if __name__ == "__main__":
    fuse = FeatureFusion(3)
    fuse([torch.randn(1, 3, 4, 4), torch.randn(1, 3, 2, 2)]).backward()
