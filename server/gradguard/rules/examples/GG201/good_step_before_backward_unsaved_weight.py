"""`optimizer.step()` between forward and backward of a single Linear layer on data: torch runs it.

Not a pattern to copy, but torch has nothing to complain about: the layer's input does not require
grad, so the layer saved only that input (for the weight's gradient), not the weight. The gradient it
computes is the one at the weights before the step.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 1)
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
x = torch.tensor([[1.0, 2.0]])
loss1 = layer(x).sum()
loss1.backward()
loss2 = (layer(x) ** 2).sum()
opt.step()
loss2.backward()
print("losses:", round(loss1.item(), 4), round(loss2.item(), 4))
print("weight.grad:", [round(v, 4) for v in layer.weight.grad.flatten().tolist()])
