"""The DataParallel model's output shifted out of place: the ReLU's saved output stays as it was."""
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.DataParallel(nn.Sequential(nn.Linear(4, 4), nn.ReLU()))
out = net(torch.randn(2, 4))
out = out + 1
loss = out.sum()
loss.backward()
print("loss:", round(loss.item(), 4))
