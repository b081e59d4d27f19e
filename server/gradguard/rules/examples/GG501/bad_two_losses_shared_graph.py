"""Two losses computed from one hidden tensor, each with its own backward().

Both go through `tanh` and the Linear layer; the first backward() frees what those saved.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 2)
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
h = torch.tanh(layer(x))
loss_a = h.sum()
loss_b = (h ** 2).mean()
loss_a.backward()
loss_b.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
print("losses:", round(loss_a.item(), 4), round(loss_b.item(), 4))
print("bias.grad:", [round(v, 4) for v in layer.bias.grad.tolist()])
