"""Metric-loss helpers in a `list()`: each helper steps its centers before the engine's backward().

One helper per target (a plain class, not a module), appended in `__init__` to a list built with `list()`, each
with its own center loss and an optimizer over the centers.

The engine's loss method calls each helper's `end_iteration()` before returning: it back-propagates the helper's
loss (keeping the graph) and steps the center optimizer, which changes `centers` in place. The engine's
`total_loss.backward()` then goes through `F.normalize(self.centers)`, which saved the old centers.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CenterLoss(nn.Module):
    def __init__(self, num_classes, dim):
        super().__init__()
        self.centers = nn.Parameter(torch.randn(num_classes, dim))

    def forward(self, feats, labels):
        centers = F.normalize(self.centers, dim=1)
        return (feats - centers[labels]).pow(2).sum(dim=1).mean()


class MetricLosses:
    def __init__(self, num_classes, dim):
        self.center_loss = CenterLoss(num_classes, dim)
        self.center_optimizer = torch.optim.SGD(self.center_loss.parameters(), lr=0.5)

    def __call__(self, feats, labels):
        self.last_loss_value = self.center_loss(feats, labels)
        return self.last_loss_value

    def init_iteration(self):
        self.center_optimizer.zero_grad()

    def end_iteration(self):
        self.last_loss_value.backward(retain_graph=True)
        self.center_optimizer.step()  # expect GG201


class Engine:
    def __init__(self, model, num_classes):
        self.model = model
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        self.ml_losses = list()
        for trg_num_classes in num_classes:
            self.ml_losses.append(MetricLosses(trg_num_classes, trg_num_classes))

    def forward_backward(self, x, labels):
        self.optimizer.zero_grad()
        total_loss = self.losses(x, labels)
        total_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        self.optimizer.step()
        return total_loss.item()

    def losses(self, x, labels):
        feats = self.model(x)
        total_loss = F.cross_entropy(feats, labels)
        for ml_loss_module in self.ml_losses:
            ml_loss_module.init_iteration()
            total_loss = total_loss + ml_loss_module(feats, labels)
            ml_loss_module.end_iteration()
        return total_loss


if __name__ == "__main__":
    torch.manual_seed(0)
    engine = Engine(nn.Linear(8, 4), [4])
    print("loss:", round(engine.forward_backward(torch.randn(6, 8), torch.tensor([0, 1, 2, 3, 0, 1])), 4))
