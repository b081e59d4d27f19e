"""MixUp written as a module mixes the batch in place and returns it with the mixed labels.

The class builds no layer (only a Beta sampler), and its forward takes the labels with the data and returns both,
the labels changed: a data augmentation, applied to what the data loader gave, not a layer given a previous
layer's output. The batch requires no grad and no op saved it, so `x.mul_(lam).add_(flipped)` breaks nothing and
backward() runs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MixUp(nn.Module):
    def __init__(self, alpha=1.0, num_classes=3):
        super().__init__()
        self.sampler = torch.distributions.Beta(alpha, alpha)
        self.num_classes = num_classes

    def forward(self, x, labels):
        lam = self.sampler.sample()
        flipped = x.flip(0).mul_(1.0 - lam)
        x.mul_(lam).add_(flipped)
        one_hot = F.one_hot(labels, self.num_classes).float()
        mixed = lam * one_hot + (1.0 - lam) * one_hot.flip(0)
        return x, mixed


if __name__ == "__main__":
    torch.manual_seed(0)
    mixup = MixUp()
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    data = torch.utils.data.TensorDataset(torch.randn(8, 4), torch.randint(0, 3, (8,)))
    for x, y in torch.utils.data.DataLoader(data, batch_size=4):
        x, soft = mixup(x, y)
        loss = torch.sum(-soft * F.log_softmax(model(x), dim=-1), dim=-1).mean()
        loss.backward()
    print("grad:", [round(v, 4) for v in model[2].weight.grad.flatten().tolist()[:3]])
