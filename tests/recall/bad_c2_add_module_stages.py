"""Category 2: stages added with add_module by name; the stage output (a softmax attention map) is rescaled in
place by the parent."""
import torch
from torch import nn


class AttentionMap(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.score = nn.Conv2d(ch, 1, 1)

    def forward(self, x):
        s = self.score(x).flatten(1)
        return s.softmax(dim=-1)


class Pyramid(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.add_module("attn", AttentionMap(ch))

    def forward(self, x):
        weights = self.attn(x)
        weights *= weights.shape[-1]  # BUG
        return (x.flatten(2) * weights.unsqueeze(1)).sum(-1)


if __name__ == "__main__":
    p = Pyramid(3)
    p(torch.randn(2, 3, 4, 4)).sum().backward()
