"""A center loss: a module of the file that holds its own `nn.Parameter` and saves it in `forward`.

`CenterLoss.forward` normalises `self.centers`, and `F.normalize` keeps its input for backward. The training step
back-propagates the center loss alone (keeping the graph), steps the center optimizer over `crit.parameters()`, which
changes `centers` in place, and then back-propagates the total loss, whose graph still holds the old centers.
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


def fit(model, batches, num_classes):
    crit = CenterLoss(num_classes, num_classes)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    center_optimizer = torch.optim.SGD(crit.parameters(), lr=0.5)
    for x, labels in batches:
        feats = model(x)
        center_loss = crit(feats, labels)
        total = F.cross_entropy(feats, labels) + 0.01 * center_loss
        optimizer.zero_grad()
        center_optimizer.zero_grad()
        center_loss.backward(retain_graph=True)
        center_optimizer.step()  # expect GG201
        total.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        optimizer.step()
    return total.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    batches = [(torch.randn(6, 8), torch.tensor([0, 1, 2, 3, 0, 1])) for _ in range(2)]
    print("loss:", round(fit(nn.Linear(8, 4), batches, 4), 4))
