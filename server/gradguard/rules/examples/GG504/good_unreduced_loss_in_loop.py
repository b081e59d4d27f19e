"""A training loop whose loss is the mean of `(pred - t) ** 2`."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
data = [(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([[1.0], [-1.0]]))] * 3
for x, t in data:
    opt.zero_grad()
    loss = ((model(x) - t) ** 2).mean()
    loss.backward()
    opt.step()
print("weight:", [round(v, 4) for v in model.weight.flatten().tolist()])
