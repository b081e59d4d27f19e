"""Gradient accumulation that never empties its list of micro-batch losses.

Every `accum_steps` batches the accumulated losses are backpropagated, but the list keeps them: the next update's
backward() goes through the earlier micro-batches' graphs again, which the previous backward() freed.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
accum_steps = 2
losses = []
for step in range(4):
    losses.append(model(torch.randn(2, 3)).pow(2).mean())
    if (step + 1) % accum_steps == 0:
        loss = torch.stack(losses).mean()
        loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
        optimizer.step()
        optimizer.zero_grad()
print("done")
