"""Clone the layer's input before writing into it."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
x = torch.tensor([[1.0, 2.0, 3.0]])
h = x * 2
out = layer(h)
h = h.clone()
h[0, 0] = 0.0
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("weight.grad:", layer.weight.grad.tolist())
