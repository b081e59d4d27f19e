"""A standard training loop: `zero_grad()`, `backward()`, `step()`.

`optimizer.step()` and `zero_grad()` change the parameters and their gradients in place, under
`torch.no_grad()` internally, after backward() has used the graph.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[1.0], [1.0], [0.0]])
for epoch in range(5):
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
print("last loss:", round(loss.item(), 4))
