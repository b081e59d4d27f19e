"""Two items of the batch multiplied, then one written in place, in a training step: nothing is kept.

`mul` keeps one factor only when the other requires grad; items taken out of the batch do not, so the mask
written after the product changes nothing autograd needs. Only what a call on tensors computes (a model's output)
is taken to require grad in a training step, not the data it reads.
"""
import torch
import torch.nn as nn


def train_step(model, batch, optimizer):
    mask = batch["mask"]
    weights = batch["weights"]
    weighted = mask * weights
    mask[mask == 0] = 1e-6
    loss = (model(batch["x"]).squeeze(-1) * weighted).mean()
    loss.backward()
    optimizer.step()
    return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batch = {"mask": torch.tensor([0.0, 1.0]), "weights": torch.tensor([2.0, 3.0]), "x": torch.randn(2, 3)}
    print("loss:", round(train_step(model, batch, optimizer).item(), 4))
