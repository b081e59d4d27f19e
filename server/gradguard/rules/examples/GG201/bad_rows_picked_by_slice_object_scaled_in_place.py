"""Rows picked with a `slice(...)` held in a name, then scaled in place.

`keep_inds = slice(0, k)`, then `probs[keep_inds].mul_(2.0)`.

`probs[keep_inds]` slices as `probs[0:k]` does: a view of the sigmoid's output, which sigmoid saved for backward.
Scaling the view in place changes those rows of the saved output.
"""
import torch
import torch.nn as nn


class Scorer(nn.Module):
    def __init__(self, dim, k=2):
        super().__init__()
        self.fc = nn.Linear(dim, 1)
        self.k = k

    def forward(self, x):
        probs = self.fc(x).sigmoid()
        keep_inds = slice(0, self.k)
        top = probs[keep_inds]
        top.mul_(2.0)  # expect GG201
        return probs


torch.manual_seed(0)
model = Scorer(4)
out = model(torch.randn(5, 4))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten().tolist()])
