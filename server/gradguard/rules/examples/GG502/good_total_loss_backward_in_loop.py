"""Back-propagate each iteration's loss and accumulate `loss.item()` for the running total."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
data = [
    (torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0]])),
    (torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0]])),
    (torch.tensor([[2.0, 0.0]]), torch.tensor([[2.0]])),
]
total_loss = 0.0
for x, y in data:
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    total_loss += loss.item()
    loss.backward()
    opt.step()
print("total loss:", round(float(total_loss), 4))
