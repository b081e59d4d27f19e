"""The same rows picked with a Python list of positions: an advanced index, which copies.

`keep_inds = [0, 1]`.

`probs[keep_inds]` is a new tensor (measured: its `_base` is not `probs`); scaling it in place leaves the sigmoid's
saved output as it was.
"""
import torch
import torch.nn as nn


class Scorer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, 1)

    def forward(self, x):
        probs = self.fc(x).sigmoid()
        keep_inds = [0, 1]
        top = probs[keep_inds]
        top.mul_(2.0)
        return probs, top


torch.manual_seed(0)
model = Scorer(4)
probs, top = model(torch.randn(5, 4))
(probs.sum() + top.sum()).backward()
print("top:", [round(v, 4) for v in top.flatten().tolist()])
print("fc.weight.grad:", [round(v, 4) for v in model.fc.weight.grad.flatten().tolist()])
