"""Category 6: the running total of the epoch's losses is what backward() is called on, every step."""
import torch
from torch import nn

model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
total = 0.0
for step in range(3):
    x, y = torch.randn(4, 3), torch.randn(4, 1)
    loss = nn.functional.mse_loss(model(x), y)
    total = total + loss
    opt.zero_grad()
    total.backward()  # BUG
    opt.step()
