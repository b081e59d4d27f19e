"""A loop changes each head output of a list comprehension in place after an op saved the one before.

`outs = [head(x) for head in heads]`, then `for out in outs: out.mul_(2); loss += torch.sin(out)`: each pass
takes another item, another tensor, so `sin` saved a tensor that no later pass changes.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
heads = nn.ModuleList(nn.Linear(3, 3) for _ in range(3))
x = torch.randn(2, 3)
outs = [head(x) for head in heads]
loss = 0
for out in outs:
    out.mul_(2)
    loss = loss + torch.sin(out).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
