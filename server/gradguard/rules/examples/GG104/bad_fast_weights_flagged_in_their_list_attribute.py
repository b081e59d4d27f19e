"""Meta-learned fast weights kept in a list attribute, flagged again in each inner loop, no detach.

`self.weights = [w - lr * g ...]` leaves tensors made by ops in the list after the first inner training; the
second call sets `.requires_grad` on one of them, which has a grad_fn, and torch refuses (good twin: each weight is
detached and stored back first).
"""
import torch
from torch.nn import functional as F


class MetaAttack:
    def __init__(self, sizes, lr=0.1, train_iters=3):
        self.lr, self.train_iters = lr, train_iters
        self.weights, self.velocities = [], []
        for n in sizes:
            self.weights.append(torch.nn.Parameter(torch.randn(n, n) * 0.5))
            self.velocities.append(torch.zeros(n, n))

    def inner_train(self, features, labels):
        for ix in range(len(self.weights)):
            self.weights[ix].requires_grad = True  # expect GG104; torch raises: you can only change requires_grad flags of leaf variables
        for _ in range(self.train_iters):
            hidden = features
            for w in self.weights:
                hidden = hidden @ w
            loss = F.nll_loss(F.log_softmax(hidden, dim=1), labels)
            grads = torch.autograd.grad(loss, self.weights, create_graph=True)
            self.velocities = [0.9 * v + g for v, g in zip(self.velocities, grads)]
            self.weights = [w - self.lr * v for w, v in zip(self.weights, self.velocities)]
        return loss

    def attack(self, features, labels, steps):
        losses = []
        for _ in range(steps):
            losses.append(round(self.inner_train(features, labels).item(), 4))
        return losses


torch.manual_seed(0)
print(MetaAttack([3, 3]).attack(torch.randn(4, 3), torch.tensor([0, 1, 2, 0]), 2))
