"""Meta-learned fast weights kept in a list attribute, made leaves again at each inner training.

DeepRobust's Metattack: `self.weights = [w - lr * v ...]` leaves non-leaf tensors in the list after each inner
training, and the next call starts with `self.weights[ix] = self.weights[ix].detach()` and then
`self.weights[ix].requires_grad = True`: the flag is set on the detached tensor just stored, a leaf, and torch
accepts it.
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
            self.weights[ix] = self.weights[ix].detach()
            self.weights[ix].requires_grad = True
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
