"""`y += 1` after `y = torch.sigmoid(x)`: sigmoid saved its output.

The gradient of sigmoid is computed from its output, `y * (1 - y)`, so autograd keeps `y`. Changing
`y` in place bumps its version counter; backward() notices and raises, lines later.
"""
import torch

x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
y = torch.sigmoid(x)
y += 1  # expect GG201
loss = (y * y).sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
