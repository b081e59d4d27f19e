"""Softmax then an in-place dropout module, run in eval mode: the dropout changes nothing.

`nn.Dropout(inplace=True)` writes into its input only in training mode. After `head.eval()` it returns
softmax's output untouched, so the output softmax saved for backward is intact and backward() works.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
head = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=-1), nn.Dropout(0.1, inplace=True))
head.eval()
x = torch.randn(2, 4)
weights = torch.tensor([1.0, 2.0, 3.0])
probs = head(x)
loss = (probs * weights).sum()
loss.backward()
print("probs:", [round(v, 4) for v in probs.flatten().tolist()])
print("bias.grad:", [round(v, 4) for v in head[0].bias.grad.tolist()])
