"""Two losses from one hidden tensor: the first backward() keeps the graph with `retain_graph=True`."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 2)
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
h = torch.tanh(layer(x))
loss_a = h.sum()
loss_b = (h ** 2).mean()
loss_a.backward(retain_graph=True)
loss_b.backward()
print("losses:", round(loss_a.item(), 4), round(loss_b.item(), 4))
print("bias.grad:", [round(v, 4) for v in layer.bias.grad.tolist()])
