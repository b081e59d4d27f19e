"""The weighted cross entropy with the weights applied out of place: `logp = logp * weight`."""
import torch
import torch.nn.functional as F


def weighted_cross_entropy(scores, target, weight=None):
    logp = F.log_softmax(scores, dim=1)
    if weight is not None:
        logp = logp * weight.view(1, -1)
    return -(logp * target).sum(dim=1).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    scores = torch.randn(4, 3, requires_grad=True)
    target = F.one_hot(torch.tensor([0, 2, 1, 0]), 3).float()
    loss = weighted_cross_entropy(scores, target, weight=torch.tensor([1.0, 2.0, 0.5]))
    loss.backward()
    print("grad sum:", round(scores.grad.abs().sum().item(), 4))
