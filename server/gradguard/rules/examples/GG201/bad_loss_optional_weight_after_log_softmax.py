"""A weighted cross entropy rescaling in place: `logp *= weight` after `log_softmax` saved it.

log_softmax saves its output for backward. The branch runs when the caller passes class weights, which is how
the loss is trained; the scores require grad there (they come from the model).
"""
import torch
import torch.nn.functional as F


def weighted_cross_entropy(scores, target, weight=None):
    logp = F.log_softmax(scores, dim=1)
    if weight is not None:
        logp *= weight.view(1, -1)  # expect GG201
    return -(logp * target).sum(dim=1).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    scores = torch.randn(4, 3, requires_grad=True)
    target = F.one_hot(torch.tensor([0, 2, 1, 0]), 3).float()
    loss = weighted_cross_entropy(scores, target, weight=torch.tensor([1.0, 2.0, 0.5]))
    loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad sum:", round(scores.grad.abs().sum().item(), 4))
