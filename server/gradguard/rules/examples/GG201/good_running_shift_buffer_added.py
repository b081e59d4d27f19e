"""A running-mean buffer added to the input (`x + self.running_mean`), then updated in place.

`add` saves neither operand (its gradient is the incoming one), so the in-place update changes nothing that
backward() reads.
"""
import torch
import torch.nn as nn


class RunningShift(nn.Module):
    def __init__(self, dim, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("running_mean", torch.zeros(dim))

    def forward(self, x):
        y = x - self.running_mean
        if self.training:
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(0))
        return y


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 3), RunningShift(3))
    model(torch.randn(4, 3)).pow(2).sum().backward()
    print("running_mean:", [round(v, 4) for v in model[1].running_mean.tolist()])
    print("grad sum:", round(model[0].weight.grad.sum().item(), 4))
