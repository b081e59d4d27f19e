"""The hand-written update under `torch.no_grad()`: parameters may change in place there."""
import torch
import torch.nn as nn


def train_step(model, inputs, targets, lr=0.1):
    model.zero_grad()
    loss = ((model(inputs) - targets) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(p.grad, alpha=-lr)
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    print("loss:", round(train_step(model, torch.randn(8, 3), torch.randn(8, 1)), 4))
