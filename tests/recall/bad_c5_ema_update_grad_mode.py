"""Category 5: an EMA teacher copied with deepcopy is updated in place outside no_grad."""
import copy

import torch
from torch import nn

student = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
teacher = copy.deepcopy(student)
opt = torch.optim.SGD(student.parameters(), lr=0.1)
decay = 0.99

for _ in range(2):
    x = torch.randn(8, 4)
    loss = (student(x) - teacher(x).detach()).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    for t_p, s_p in zip(teacher.parameters(), student.parameters()):
        t_p.mul_(decay).add_(s_p.detach(), alpha=1 - decay)  # BUG
