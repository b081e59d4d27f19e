"""`h[:, 0] = 0` on the output of a Linear layer: Linear saves its input and weight, not its output."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
x = torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]], requires_grad=True)
h = layer(x)
h[:, 0] = 0
loss = (h ** 2).sum()
loss.backward()
print("h:", [[round(v, 4) for v in row] for row in h.tolist()])
print("x.grad:", [[round(v, 4) for v in row] for row in x.grad.tolist()])
