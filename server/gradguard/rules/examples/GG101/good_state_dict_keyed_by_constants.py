"""A state dict keyed by module constants: a callback adds a term to the loss out of place.

`state[LOSS] = state[LOSS] + ...` makes a new tensor and stores it under the key: the leaf the loss started as is
never changed, so backward() reaches the model's weight through the penalty.
"""
import torch
import torch.nn as nn

MODEL = "model"
LOSS = "loss"


def weight_decay(state):
    state[LOSS] = state[LOSS] + 1e-3 * state[MODEL].weight.pow(2).sum()


def train_step(model, x, optimizer):
    state = {MODEL: model, LOSS: torch.zeros(1, requires_grad=True)}
    weight_decay(state)
    optimizer.zero_grad()
    state[LOSS].backward()
    optimizer.step()


torch.manual_seed(0)
model = nn.Linear(3, 1)
train_step(model, torch.randn(4, 3), torch.optim.SGD(model.parameters(), lr=0.1))
print("weight:", model.weight.tolist())
