"""A helper that computes a cross-entropy shifts the scores its caller passed in, in place.

It calls no backward() and steps no optimizer: a loss its caller differentiates, whose scores come from the
model's graph. Here they are a sigmoid's output, which the sigmoid saved: backward() raises.
"""
import torch
import torch.nn as nn

cross_entropy = nn.CrossEntropyLoss()


def margin_loss(scores, targets):
    scores -= 0.1  # expect GG202
    return cross_entropy(scores, targets)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    scores = torch.sigmoid(model(torch.randn(2, 4)))
    loss = margin_loss(scores, torch.tensor([0, 2]))  # expect GG201
    loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
