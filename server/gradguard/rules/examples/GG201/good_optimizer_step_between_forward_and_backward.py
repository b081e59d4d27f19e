"""`optimizer.step()` after the second batch's backward(): accumulate, then step."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x1, y1 = torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0]])
x2, y2 = torch.tensor([[0.0, 1.0]]), torch.tensor([[-1.0]])
loss1 = ((model(x1) - y1) ** 2).mean()
loss1.backward()
loss2 = ((model(x2) - y2) ** 2).mean()
loss2.backward()
opt.step()
print("losses:", round(loss1.item(), 4), round(loss2.item(), 4))
print("last weight:", [round(v, 4) for v in model[2].weight.flatten().tolist()])
