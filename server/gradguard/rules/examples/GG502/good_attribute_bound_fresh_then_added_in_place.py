"""A loss module binds `self.loss` afresh in forward, then adds into it in place: no graph is carried.

An asymmetric multi-label loss keeps its intermediate tensors on the module to reuse the attributes
(`self.loss = ...`, then `self.loss.add_(...)`, `self.loss *= w`). Each call binds `self.loss` to a new
tensor before writing into it, so the in-place updates change this call's tensor only: the next call never
reads the previous call's graph, and every backward() goes through its own.
"""
import torch
import torch.nn as nn


class AsymmetricLoss(nn.Module):
    def __init__(self, eps=1e-8):
        super().__init__()
        self.eps = eps
        self.targets = self.anti_targets = self.xs_pos = self.xs_neg = self.loss = None

    def forward(self, x, y):
        self.targets = y
        self.anti_targets = 1 - y
        self.xs_pos = torch.sigmoid(x)
        self.xs_neg = 1.0 - self.xs_pos
        self.loss = self.targets * torch.log(self.xs_pos.clamp(min=self.eps))
        self.loss.add_(self.anti_targets * torch.log(self.xs_neg.clamp(min=self.eps)))
        return -self.loss.sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    net, criterion = nn.Linear(4, 3), AsymmetricLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for step in range(3):
        x, y = torch.randn(5, 4), (torch.rand(5, 3) > 0.5).float()
        loss = criterion(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("loss:", round(loss.item(), 4))
