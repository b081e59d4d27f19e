"""A BatchNorm-style running mean updated in place under `torch.no_grad()` in `forward`.

The buffer does not require grad and no operation saved it; the forward output uses the batch mean.
"""
import torch
import torch.nn as nn


class RunningNorm(nn.Module):
    def __init__(self, features, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("running_mean", torch.zeros(features))

    def forward(self, x):
        mean = x.mean(dim=0)
        if self.training:
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
        return x - mean


norm = RunningNorm(2)
x = torch.tensor([[1.0, 2.0], [3.0, 6.0]], requires_grad=True)
for _ in range(3):
    out = norm(x * 2)
    (out ** 2).sum().backward()
print("running_mean:", [round(v, 4) for v in norm.running_mean.tolist()])
print("x.grad:", [[round(v, 4) for v in row] for row in x.grad.tolist()])
