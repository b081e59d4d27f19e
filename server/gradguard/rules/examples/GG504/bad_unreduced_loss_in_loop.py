"""A training loop whose loss `(pred - t) ** 2` is never reduced to a scalar."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
data = [(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([[1.0], [-1.0]]))] * 3
for x, t in data:
    opt.zero_grad()
    loss = (model(x) - t) ** 2
    loss.backward()  # expect GG504; torch raises: grad can be implicitly created only for scalar outputs
    opt.step()
print("weight:", [round(v, 4) for v in model.weight.flatten().tolist()])
