"""An EMA target network updated in place inside training_step, under `torch.no_grad()`.

Parameter updates are not part of the graph: with grad mode off, torch lets them change in place.
"""
import torch
import torch.nn as nn


class Bootstrap(nn.Module):
    def __init__(self):
        super().__init__()
        self.online = nn.Linear(3, 2)
        self.target = nn.Linear(3, 2)

    def training_step(self, batch, batch_idx):
        loss = (self.online(batch) - self.target(batch).detach()).pow(2).mean()
        with torch.no_grad():
            for t, o in zip(self.target.parameters(), self.online.parameters()):
                t.mul_(0.99).add_(o.detach(), alpha=0.01)
        return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Bootstrap()
    loss = model.training_step(torch.randn(4, 3), 0)
    loss.backward()
    print("loss:", round(loss.item(), 4))
