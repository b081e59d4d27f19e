"""Gradient accumulation that empties its list of micro-batch losses after each update

The backward() inside the `if` frees the accumulated graphs, and on that path the list is reset, so the next
update only goes through new micro-batches. (The path that skips the `if` carries graphs nobody freed yet.)
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
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses = []
print("done")
