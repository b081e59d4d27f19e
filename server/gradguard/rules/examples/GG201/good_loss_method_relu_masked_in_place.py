"""The controller's loss method with the mask applied out of place: `violation = violation * active`."""
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
        violation = violation * active
        losses.append(("descent", violation.mean()))
        if accuracy:
            losses.append(("accuracy", (violation <= 0).float().mean()))
        return losses


if __name__ == "__main__":
    torch.manual_seed(0)
    total = sum(term for _, term in Controller().descent_loss(torch.randn(5, 3)))
    total.backward()
    print("loss:", round(total.item(), 4))
