"""A state dict keyed by module constants: a callback adds a term to the loss leaf in place.

`state = {MODEL: model, LOSS: torch.zeros(1, requires_grad=True)}`: the loss starts as a leaf that requires grad (so
that backward() runs even when no callback adds a term), and the callback's `state[LOSS] += ...` changes that leaf
in place (torchbearer's add_to_loss with no criterion). `LOSS` is a constant: `state[LOSS]` is the item the dict
literal stored under it.
"""
import torch
import torch.nn as nn

MODEL = "model"
LOSS = "loss"


def weight_decay(state):
    state[LOSS] += 1e-3 * state[MODEL].weight.pow(2).sum()  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation


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
