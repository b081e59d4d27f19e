"""A loss method that masks a hinge in place: `violation *= active` after `F.relu` saved it.

The loss terms leave the method in a list of (name, value) pairs; the training step sums them and calls
backward(). The states come from the data loader and the value network, so they require grad in training.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Controller(nn.Module):
    def __init__(self):
        super().__init__()
        self.value = nn.Linear(3, 1)

    def descent_loss(self, states, accuracy=False):
        losses = []
        v = self.value(states)
        active = torch.sigmoid(-v).detach()
        violation = F.relu(0.5 + v)
        violation *= active  # expect GG201
        losses.append(("descent", violation.mean()))
        if accuracy:
            losses.append(("accuracy", (violation <= 0).float().mean()))
        return losses


if __name__ == "__main__":
    torch.manual_seed(0)
    total = sum(term for _, term in Controller().descent_loss(torch.randn(5, 3)))
    total.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("loss:", round(total.item(), 4))
