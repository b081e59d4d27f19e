"""Category 5: a CLIP-style head clamps its learnable logit scale in place inside forward."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class ContrastiveHead(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.img_proj = nn.Linear(dim, dim)
        self.txt_proj = nn.Linear(dim, dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, img, txt):
        with torch.no_grad():
            self.logit_scale.clamp_(0, math.log(100))
        a = F.normalize(self.img_proj(img), dim=-1)
        b = F.normalize(self.txt_proj(txt), dim=-1)
        return self.logit_scale.exp() * a @ b.t()


if __name__ == "__main__":
    head = ContrastiveHead(4)
    head(torch.randn(3, 4), torch.randn(3, 4)).sum().backward()
