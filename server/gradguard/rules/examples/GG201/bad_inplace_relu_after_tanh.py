"""`nn.ReLU(inplace=True)` right after `nn.Tanh()` in an `nn.Sequential`.

An in-place activation is fine after a Linear or a convolution, which do not save their output. Tanh
does: the in-place ReLU overwrites it.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(3, 2),
    nn.Tanh(),
    nn.ReLU(inplace=True),  # expect GG201
)
x = torch.tensor([[1.0, -2.0, 0.5]])
out = model(x)
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("bias.grad:", [round(v, 4) for v in model[0].bias.grad.tolist()])
