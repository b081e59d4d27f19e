"""A training function updating parameters by hand: `p.add_(p.grad, alpha=-lr)` with grad mode on.

`model` is whatever the caller passes; its parameters are leaves that require grad, and
the function calls backward(), so it runs in grad mode.
"""
import torch
import torch.nn as nn


def train_step(model, inputs, targets, lr=0.1):
    model.zero_grad()
    loss = ((model(inputs) - targets) ** 2).mean()
    loss.backward()
    for p in model.parameters():
        p.add_(p.grad, alpha=-lr)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    print("loss:", round(train_step(model, torch.randn(8, 3), torch.randn(8, 1)), 4))  # expect GG101
