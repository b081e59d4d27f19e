"""Category 4: a focal loss clips sigmoid probabilities with a helper that works in place."""
import torch
from torch import nn


def clip_(t, lo, hi):
    return t.clamp_(lo, hi)


def focal_loss(logits, targets, gamma=2.0, eps=1e-6):
    p = torch.sigmoid(logits)
    clip_(p, eps, 1 - eps)  # BUG
    pt = torch.where(targets > 0, p, 1 - p)
    return (-(1 - pt) ** gamma * pt.log()).mean()


net = nn.Linear(5, 3)
x, y = torch.randn(4, 5), (torch.rand(4, 3) > 0.5).float()
loss = focal_loss(net(x), y)
loss.backward()
