"""A loss enumerates the list of head outputs it is given and changes each in place before saving it.

`for i, out in enumerate(outputs): out[..., 0] = out[..., 0].sigmoid(); loss += bce(out[..., :2], t)`, as
YOLO losses do over their scales: each pass takes another scale's tensor, which no later pass changes.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaleLoss(nn.Module):
    def forward(self, outputs, targets):
        loss = 0
        for i, out in enumerate(outputs):
            out[..., :2] = torch.sigmoid(out[..., :2])
            loss = loss + F.binary_cross_entropy(out[..., :2], targets[i])
        return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    heads = nn.ModuleList(nn.Linear(3, 4) for _ in range(3))
    x = torch.randn(2, 3)
    loss = ScaleLoss()([head(x) for head in heads], torch.rand(3, 2, 2))
    loss.backward()
    print("loss:", round(loss.item(), 4))
